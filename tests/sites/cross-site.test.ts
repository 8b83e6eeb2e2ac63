/**
 * One paper is one record, whichever site showed it: the ids (and aliases) the adapters give the same
 * paper on different sites meet, and through the real background handler a star given on one site
 * shows on the others.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarginsDB } from '@/lib/db/schema';
import { doiInUrl, parsePaperUrl } from '@/lib/ids';
import { handleMessage } from '@/lib/messaging/handler';
import type { AnnotationView, PaperInput } from '@/lib/model';
import { aclAdapter } from '@/lib/sites/acl';
import { arxivAdapter } from '@/lib/sites/arxiv';
import { huggingfaceAdapter } from '@/lib/sites/huggingface';
import { scholarAdapter } from '@/lib/sites/scholar';
import type { DetectedCard, SiteAdapter } from '@/lib/sites/types';
import { loadFixture, loadHandmade, parsePage } from './load';
import { DEFAULT_SETTINGS } from '@/lib/settings';

function cardsOf(adapter: SiteAdapter, doc: Document, url: string): DetectedCard[] {
  return adapter.detect(doc, new URL(url));
}

const R1 = 'arxiv:2501.12948';

/** A Scholar results page with one result per link given (title link), in the 2022 markup. */
function scholarPage(hrefs: string[]): Document {
  const results = hrefs
    .map((h, i) => `<div class="gs_r gs_or gs_scl" data-cid="${['5Gohgn6QFikJ', 'txVLUOtESaAJ', 'rBeYgShxBBIJ'][i]}"><div class="gs_ri"><h3 class="gs_rt"><a href="${h}">Result ${i}</a></h3><div class="gs_a">A Author - Venue, 2021 - host</div></div></div>`)
    .join('');
  return parsePage(`<div id="gs_res_ccl_mid">${results}</div>`, 'https://scholar.google.com/scholar?q=x');
}

describe('the same paper gets the same id on every site', () => {
  it('Hugging Face (listing and paper page) and arXiv (listing, catch-up, abs page): arxiv:2501.12948', () => {
    const seen = [
      cardsOf(huggingfaceAdapter, loadHandmade('hf-date.html', 'https://huggingface.co/papers/date/2025-01-22'), 'https://huggingface.co/papers/date/2025-01-22')[0],
      cardsOf(huggingfaceAdapter, loadHandmade('hf-paper.html', 'https://huggingface.co/papers/2501.12948'), 'https://huggingface.co/papers/2501.12948')[0],
      cardsOf(arxivAdapter, loadHandmade('arxiv-new-current.html', 'https://arxiv.org/list/cs.CL/new'), 'https://arxiv.org/list/cs.CL/new')[0],
      cardsOf(arxivAdapter, loadHandmade('arxiv-catchup.html', 'https://arxiv.org/catchup/cs.CL/2025-01-20'), 'https://arxiv.org/catchup/cs.CL/2025-01-20')[0],
      cardsOf(arxivAdapter, loadHandmade('arxiv-abs-current.html', 'https://arxiv.org/abs/2501.12948v2'), 'https://arxiv.org/abs/2501.12948v2')[0],
    ];
    expect(seen.map((c) => c.id)).toEqual([R1, R1, R1, R1, R1]);
  });

  it('every Hugging Face card links its arXiv page and every arXiv card its Hugging Face page, under the same id', () => {
    const hf = cardsOf(huggingfaceAdapter, loadFixture('huggingface/daily-papers-2024-08-01-raw.html', 'https://huggingface.co/papers?date=2024-08-01'), 'https://huggingface.co/papers?date=2024-08-01');
    for (const c of hf) expect(parsePaperUrl(c.links.abs!)?.id).toBe(c.id);
    const url = 'https://arxiv.org/list/astro-ph.CO/recent?show=1000';
    const arxiv = cardsOf(arxivAdapter, loadFixture('arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html', url), url);
    for (const c of arxiv) expect(parsePaperUrl(c.links.hf!)?.id).toBe(c.id);
  });

  it('Scholar: a result linking arXiv (abs page, PDF, or arXiv DOI) gets the arXiv id', () => {
    const cards = cardsOf(scholarAdapter, scholarPage(['https://arxiv.org/abs/2501.12948', 'https://arxiv.org/pdf/2501.12948v1', 'https://doi.org/10.48550/arXiv.2501.12948']), 'https://scholar.google.com/scholar?q=x');
    expect(cards.map((c) => c.id)).toEqual([R1, R1, R1]);
  });

  it('ACL: the paper page keeps its DOI as an alias; Scholar reaching it by DOI or by the Anthology gets one of the two', () => {
    const url = 'https://aclanthology.org/2021.naacl-main.208/';
    const [page] = cardsOf(aclAdapter, loadFixture('acl/papis_ACL_2021.naacl-main.208.html', url), url);
    expect([page.id, ...page.aliases]).toEqual(['acl:2021.naacl-main.208', 'doi:10.18653/v1/2021.naacl-main.208']);
    const scholar = cardsOf(scholarAdapter, scholarPage(['https://doi.org/10.18653/v1/2021.naacl-main.208', 'https://aclanthology.org/2021.naacl-main.208.pdf']), 'https://scholar.google.com/scholar?q=x');
    expect(scholar.map((c) => c.id)).toEqual(['doi:10.18653/v1/2021.naacl-main.208', 'acl:2021.naacl-main.208']);
  });

  it('arXiv search keeps the journal DOI a Scholar result reaches through the publisher', () => {
    const url = 'https://arxiv.org/search/?searchtype=abstract&query=distributed+systems&abstracts=show&size=200';
    const card = cardsOf(arxivAdapter, loadFixture('arxiv/search-abstract-distributed-systems-size200-2025-12.html', url), url).find((c) => c.id === 'arxiv:2512.10701')!;
    const [viaAcm] = cardsOf(scholarAdapter, scholarPage(['https://dl.acm.org/doi/10.1145/3773274.3774931']), 'https://scholar.google.com/scholar?q=x');
    expect(card.aliases).toContain(viaAcm.id);
  });
});

describe('DOIs carried in publisher URLs', () => {
  const cases: [string, string | null][] = [
    ['https://dl.acm.org/doi/abs/10.1145/3378936.3378952?casa_token=x', 'doi:10.1145/3378936.3378952'],
    ['https://dl.acm.org/doi/pdf/10.1145/3378936.3378952', 'doi:10.1145/3378936.3378952'],
    ['https://dl.acm.org/doi/10.1145/3773274.3774931', 'doi:10.1145/3773274.3774931'],
    ['https://link.springer.com/article/10.1007/s10664-020-09859-y', 'doi:10.1007/s10664-020-09859-y'],
    ['https://link.springer.com/chapter/10.1007/978-3-030-58452-8_13', 'doi:10.1007/978-3-030-58452-8_13'],
    ['https://link.springer.com/content/pdf/10.1007/s10664-020-09859-y.pdf', 'doi:10.1007/s10664-020-09859-y'],
    ['https://onlinelibrary.wiley.com/doi/full/10.1002/widm.1249', 'doi:10.1002/widm.1249'],
    ['https://www.tandfonline.com/doi/abs/10.1080/01621459.2017.1285773', 'doi:10.1080/01621459.2017.1285773'],
    ['https://doi.org/10.48550/arXiv.2501.12948', R1],
    ['https://ieeexplore.ieee.org/abstract/document/8852726/', null],
    ['https://www.sciencedirect.com/science/article/pii/S0164121219301980', null],
    ['https://example.org/files/10.1000/not-a-doi-path', null],
    ['javascript:alert("/doi/10.1000/x")', null],
  ];
  it.each(cases)('%s -> %s', (href, id) => {
    expect(doiInUrl(href)?.id ?? null).toBe(id);
  });
});

describe('a star given on one site shows on the others (through the background handler)', () => {
  let db: MarginsDB;
  const deps = () => ({ db, broadcast: (_: AnnotationView[]) => {}, readSettings: async () => DEFAULT_SETTINGS });
  const fromTab = { fromExtensionPage: false };
  beforeEach(async () => {
    db = new MarginsDB(`cross-site-${Math.random()}`);
    await db.open();
  });
  afterEach(async () => {
    db.close();
    await Dexie.delete(db.name);
  });

  /** What the content runtime sends for a card (lib/content/runtime.ts paperOf). */
  const paperOf = (c: DetectedCard, site: string): PaperInput => ({
    id: c.id,
    ...(c.aliases.length ? { aliases: c.aliases } : {}),
    title: c.title,
    authors: c.authors,
    links: c.links,
    ...(c.version ? { version: c.version } : {}),
    ...(c.abstract ? { abstract: c.abstract } : {}),
    ...(c.category ? { category: c.category } : {}),
    site,
  });
  const star = (c: DetectedCard, site: string) => handleMessage(deps(), { type: 'annotations.edit', edits: [{ id: c.id, paper: paperOf(c, site), star: true }] }, fromTab);
  async function starredOn(cards: DetectedCard[]): Promise<boolean[]> {
    const reply = await handleMessage(deps(), { type: 'cards.report', listing: true, cards: cards.map((c) => (c.aliases.length ? { id: c.id, aliases: c.aliases } : { id: c.id })) }, fromTab);
    if (!reply.ok) throw new Error(reply.error);
    const states = (reply.data as { states: Record<string, AnnotationView> }).states;
    return cards.map((c) => states[c.id]?.starred ?? false);
  }

  it('starred on Hugging Face: starred on the arXiv listing and abs page; the others on the listing are not', async () => {
    const [hfCard] = cardsOf(huggingfaceAdapter, loadHandmade('hf-date.html', 'https://huggingface.co/papers/date/2025-01-22'), 'https://huggingface.co/papers/date/2025-01-22');
    expect((await star(hfCard, 'huggingface')).ok).toBe(true);
    const listing = cardsOf(arxivAdapter, loadHandmade('arxiv-new-current.html', 'https://arxiv.org/list/cs.CL/new'), 'https://arxiv.org/list/cs.CL/new');
    expect(await starredOn(listing)).toEqual([true, false, false, false, false, false, false, false]);
    const abs = cardsOf(arxivAdapter, loadHandmade('arxiv-abs-current.html', 'https://arxiv.org/abs/2501.12948'), 'https://arxiv.org/abs/2501.12948');
    expect(await starredOn(abs)).toEqual([true]);
  });

  it('starred on an arXiv abs page: starred on Hugging Face', async () => {
    const abs = cardsOf(arxivAdapter, loadHandmade('arxiv-abs-current.html', 'https://arxiv.org/abs/2501.12948'), 'https://arxiv.org/abs/2501.12948');
    await star(abs[0], 'arxiv');
    const hf = cardsOf(huggingfaceAdapter, loadHandmade('hf-week.html', 'https://huggingface.co/papers/week/2025-W04'), 'https://huggingface.co/papers/week/2025-W04');
    expect(await starredOn(hf)).toEqual([true, false, false, false]);
  });

  it('starred on the Anthology paper page: a Scholar result known only by its DOI shows it starred', async () => {
    const url = 'https://aclanthology.org/2021.naacl-main.208/';
    const [page] = cardsOf(aclAdapter, loadFixture('acl/papis_ACL_2021.naacl-main.208.html', url), url);
    await star(page, 'acl');
    const scholar = cardsOf(scholarAdapter, scholarPage(['https://doi.org/10.18653/v1/2021.naacl-main.208', 'https://example.org/other']), 'https://scholar.google.com/scholar?q=x');
    expect(await starredOn(scholar)).toEqual([true, false]);
  });

  it('starred in Scholar results: the same work on an author profile (by its cluster) shows it starred', async () => {
    const results = cardsOf(scholarAdapter, loadHandmade('scholar-results-edge.html', 'https://scholar.google.com/scholar?hl=en&q=attention'), 'https://scholar.google.com/scholar?hl=en&q=attention');
    await star(results[2], 'scholar'); // the [CITATION] entry, known by its cluster
    const profile = cardsOf(scholarAdapter, loadHandmade('scholar-profile.html', 'https://scholar.google.com/citations?user=JicYPdAAAAAJ&hl=en'), 'https://scholar.google.com/citations?user=JicYPdAAAAAJ&hl=en');
    expect(await starredOn(profile)).toEqual([false, true, false, false]);
  });
});
