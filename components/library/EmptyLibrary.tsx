/** What the library says before the reader has kept anything: how to star a paper from a listing. */
export function EmptyLibrary() {
  return (
    <section className="empty" aria-labelledby="empty-heading">
      <h2 id="empty-heading">Your library is empty</h2>
      <p>Papers you star, tag or annotate on a listing appear here, searchable and editable.</p>
      <ol className="empty-steps">
        <li>
          Open a listing: an arXiv list such as <strong>arxiv.org/list/cs.CL/new</strong>, Hugging Face Papers, OpenReview,
          Google Scholar or the ACL Anthology.
        </li>
        <li>
          Next to each paper Margins adds a <span className="demo-star" aria-hidden="true">☆</span> star, <span className="demo-pill">+ tag</span>{' '}
          and <span className="demo-pill">+ note</span>. Click the star: the paper is in your library.
        </li>
        <li>
          Or use the keyboard: <kbd>j</kbd>/<kbd>k</kbd> move between papers, <kbd>s</kbd> stars, <kbd>t</kbd> adds a tag,{' '}
          <kbd>n</kbd> writes a note, <kbd>?</kbd> lists the keys. The toolbar button (<kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>M</kbd>)
          shows the papers of the page you are on.
        </li>
      </ol>
      <div className="demo-card" aria-hidden="true">
        <span className="demo-star on">★</span>
        <div>
          <div className="demo-title">Attention Is All You Need</div>
          <div className="muted">Ashish Vaswani, Noam Shazeer, Niki Parmar, …</div>
          <div className="demo-tags">
            <span className="chip">
              <span>transformers</span>
            </span>
            <span className="chip">
              <span>to-read</span>
            </span>
          </div>
        </div>
      </div>
      <p className="muted">Everything stays in this browser. Move it between devices with an export file (Sync &amp; backup).</p>
    </section>
  );
}
