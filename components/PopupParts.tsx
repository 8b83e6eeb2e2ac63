const SITE_NAMES: Record<string, string> = {
  arxiv: 'arXiv',
  huggingface: 'Hugging Face Papers',
  openreview: 'OpenReview',
  scholar: 'Google Scholar',
  acl: 'ACL Anthology',
};

export function siteName(site: string | undefined): string {
  return (site && SITE_NAMES[site]) || site || '';
}

/** The popup's header: counts for this page and the whole library, and the way to the library. */
export function PopupHeader(props: {
  site?: string;
  onPage: number;
  newCount: number;
  starredHere: number;
  starredTotal: number | undefined;
  libraryUrl: string;
}) {
  return (
    <header className="popup-header pad">
      <div className="brand">
        <strong>Margins</strong>
        {props.site && <span className="muted"> · {siteName(props.site)}</span>}
        <a className="library-link" href={props.libraryUrl} target="_blank" rel="noreferrer">
          Open library
        </a>
      </div>
      <dl className="counts">
        <div>
          <dt>on this page</dt>
          <dd data-count="page">{props.onPage}</dd>
        </div>
        <div>
          <dt>new</dt>
          <dd data-count="new">{props.newCount}</dd>
        </div>
        <div>
          <dt>starred here</dt>
          <dd data-count="starred-here">{props.starredHere}</dd>
        </div>
        <div>
          <dt>starred in library</dt>
          <dd data-count="starred-total">{props.starredTotal ?? '…'}</dd>
        </div>
      </dl>
    </header>
  );
}

/** What the popup says when there are no cards to show, and why. */
export function PageNotice(props: { kind: 'unsupported' | 'no-cards' | 'empty'; site?: string }) {
  if (props.kind === 'no-cards') {
    return (
      <div className="notice warn pad" role="status">
        <strong>Margins found no papers on this {siteName(props.site)} page.</strong> It should have: the site may have
        changed its layout. The page was left untouched. Your library is safe.
      </div>
    );
  }
  if (props.kind === 'empty') return <p className="notice pad muted">No papers on this page.</p>;
  return (
    <div className="notice pad muted" role="status">
      Margins works on arXiv, Hugging Face Papers, OpenReview, Google Scholar and the ACL Anthology. Open a listing there
      to star, tag and annotate papers.
    </div>
  );
}
