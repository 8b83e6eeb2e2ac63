import { describe, expect, it, vi } from 'vitest';
import { huggingfaceAdapter as hf } from '@/lib/sites/huggingface';
import { contractViolations, describeTable, mountParent } from './contract';
import { buildSearchPage, inventedSearchId } from './hf-search-page';
import { loadFixture, loadHandmade, parsePage, readFixtureText } from './load';

describeTable('huggingface', hf);

const DAILY = ['huggingface/daily-papers-2024-08-01-raw.html', 'https://huggingface.co/papers?date=2024-08-01'] as const;

function detect(doc: Document, url: string) {
  return hf.detect(doc, new URL(url));
}

describe('Hugging Face daily list, Aug-2024 capture', () => {
  const [file, url] = DAILY;
  const doc = loadFixture(file, url);
  const cards = detect(doc, url);

  it('finds one card per article, with the id of its /papers/<id> links', () => {
    const articles = [...doc.querySelectorAll('article')];
    expect(articles).toHaveLength(13);
    expect(cards.map((c) => c.root)).toEqual(articles);
    expect(cards.map((c) => c.id)).toEqual(articles.map((a) => `arxiv:${a.querySelector('h3 a')!.getAttribute('href')!.slice('/papers/'.length)}`));
  });

  it('takes titles, authors and abstracts from the embedded data, whitespace cleaned', () => {
    expect(cards[2].title).toBe('MoMa: Efficient Early-Fusion Pre-training with Mixture of Modality-Aware Experts');
    expect(cards[0].authors).toHaveLength(533);
    expect(cards[0].authors.slice(0, 2)).toEqual(['Abhimanyu Dubey', 'Abhinav Jauhri']);
    expect(cards[1].authors).toEqual(['Zhenghao Zhang', 'Junchao Liao', 'Menghao Li', 'Long Qin', 'Weizhi Wang']);
    expect(cards[0].abstract).toMatch(/^Modern artificial intelligence \(AI\) systems are powered by foundation models\./);
    expect(cards.every((c) => c.abstract && !/\n|\s{2}/.test(c.abstract))).toBe(true);
  });

  it('mounts the controls right after the title heading, never inside a link', () => {
    for (const c of cards) {
      expect(c.mount.position).toBe('afterend');
      expect(c.mount.anchor.tagName).toBe('H3');
      expect(mountParent(c)!.closest('a')).toBeNull();
    }
    expect(cards[0].links).toEqual({
      hf: 'https://huggingface.co/papers/2407.21783',
      abs: 'https://arxiv.org/abs/2407.21783',
      pdf: 'https://arxiv.org/pdf/2407.21783',
    });
  });

  it("labels each card with the title it shows, without parsing the page's data while it loads", () => {
    // The controls are named from the label as they mount; the hydration JSON (130 kB here) is parsed
    // only when a card's details are read (the reader annotates, or opens the popup).
    const fresh = loadFixture(file, url, { fresh: true });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const labelled = detect(fresh, url);
      expect(labelled.map((c) => c.label)).toEqual(cards.map((c) => c.title));
      expect(parse).not.toHaveBeenCalled();
      expect(labelled[2].authors).toHaveLength(cards[2].authors.length);
      expect(parse).toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it("finds where a card's controls go when they go in: a title the site re-rendered after detection gets them", () => {
    // Detection reads only ids and roots; the title heading is looked for when the controls are put in,
    // so a heading Svelte replaced in between (same card, new element) is the one found.
    const page = loadFixture(file, url, { fresh: true });
    const [first] = detect(page, url);
    const old = first.root.querySelector('h3')!;
    const rerendered = old.cloneNode(true) as Element;
    old.replaceWith(rerendered);
    expect(first.mount.anchor).toBe(rerendered);
    expect(first.mount.position).toBe('afterend');
    expect(first.label).toBe('The Llama 3 Herd of Models');
  });

  it('falls back on the markup when the embedded data is gone (titles still clean)', () => {
    const bare = loadFixture(file, url, { fresh: true });
    for (const el of bare.querySelectorAll('[data-props]')) el.removeAttribute('data-props');
    const fromMarkup = detect(bare, url);
    expect(fromMarkup.map((c) => c.id)).toEqual(cards.map((c) => c.id));
    expect(fromMarkup.map((c) => c.title)).toEqual(cards.map((c) => c.title));
    expect(fromMarkup.every((c) => c.authors.length === 0 && !c.abstract)).toBe(true);
  });
});

describe("Hugging Face, today's views (hand-made)", () => {
  it('date view: the data gives authors and abstracts; a TeX title stays as written', () => {
    const url = 'https://huggingface.co/papers/date/2025-01-22';
    const cards = detect(loadHandmade('hf-date.html', url), url);
    expect(cards[2].title).toBe('$\\pi_0$: A Vision-Language-Action Flow Model for General Robot Control');
    expect(cards[0].authors).toEqual(['DeepSeek-AI', 'Daya Guo', 'Dejian Yang', 'Haowei Zhang']);
    expect(cards[0].abstract).toMatch(/^We introduce our first-generation reasoning models, DeepSeek-R1-Zero and DeepSeek-R1\. DeepSeek-R1-Zero/);
    expect(cards.every((c) => c.root.tagName === 'ARTICLE')).toBe(true);
  });

  it('week view: a card the data does not describe still gets its id and its title from the markup', () => {
    const url = 'https://huggingface.co/papers/week/2025-W04';
    const cards = detect(loadHandmade('hf-week.html', url), url);
    expect(cards[2].title).toBe('rStar-Math: Small LLMs Can Master Math Reasoning with Self-Evolved Deep Thinking');
    expect(cards[3]).toMatchObject({ id: 'arxiv:2501.09732', authors: [] });
    expect(cards[3].abstract).toBeUndefined();
    expect(cards[1].authors).toEqual(['DeepSeek-AI', 'Aixin Liu']);
  });

  it('month view without any embedded data: everything from the markup', () => {
    const url = 'https://huggingface.co/papers/month/2025-01';
    const cards = detect(loadHandmade('hf-month.html', url), url);
    expect(cards.map((c) => c.title)).toEqual([
      'rStar-Math: Small LLMs Can Master Math Reasoning with Self-Evolved Deep Thinking',
      'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
      'Inference-Time Scaling for Diffusion Models beyond Scaling Denoising Steps',
    ]);
  });

  it('trending: cards that are not articles are found from their links, rooted on the card element', () => {
    const url = 'https://huggingface.co/papers/trending';
    const cards = detect(loadHandmade('hf-trending.html', url), url);
    for (const c of cards) {
      expect(c.root.getAttribute('data-test-card')).toBe(c.id.slice('arxiv:'.length));
      expect(c.mount.anchor.tagName).toBe('H2');
    }
    expect(cards[1].abstract).toMatch(/^We present DeepSeek-V3, a strong Mixture-of-Experts/);
    expect(cards[3].authors).toEqual(['Xinyu Guan', 'Li Lyna Zhang']);
  });

  it('paper page: one card, the page paper, not the papers a comment links', () => {
    const url = 'https://huggingface.co/papers/2501.12948';
    const doc = loadHandmade('hf-paper.html', url);
    const [card, ...rest] = detect(doc, url);
    expect(rest).toEqual([]);
    expect(card.id).toBe('arxiv:2501.12948');
    expect(card.root.tagName).toBe('SECTION');
    expect(card.mount).toEqual({ anchor: doc.querySelector('h1'), position: 'afterend' });
    expect(card.authors).toEqual(['DeepSeek-AI', 'Daya Guo', 'Dejian Yang', 'Haowei Zhang']);
    // Without the data: the h1 and the text under the "Abstract" heading.
    doc.querySelector('[data-props*="PaperContent"], [data-target="PaperContent"]')!.removeAttribute('data-props');
    const [bare] = detect(doc, url);
    expect(bare.title).toBe('DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning');
    expect(bare.abstract).toMatch(/^We introduce our first-generation reasoning models/);
    expect(hf.isListing(new URL(url))).toBe(false);
  });
});

describe('Hugging Face search results (built from the text fixture)', () => {
  const { html, url, results } = buildSearchPage(readFixtureText('huggingface/search-listing-as-text.txt'));
  const cards = detect(parsePage(html, url), url);

  it('has about 70 results, each a title followed by its abstract', () => {
    expect(results).toHaveLength(70);
    expect(results.every((r) => r.abstract.length > r.title.length)).toBe(true);
    expect(results[0].title).toBe('Scan and Snap: Understanding Training Dynamics and Token Composition in 1-layer Transformer');
  });

  it('finds every card with its title and abstract', () => {
    expect(cards).toHaveLength(70);
    expect(cards.map((c) => c.title)).toEqual(results.map((r) => r.title));
    expect(cards.map((c) => c.abstract)).toEqual(results.map((r) => r.abstract));
    expect(cards.map((c) => c.id)).toEqual(results.map((_, i) => `arxiv:${inventedSearchId(i)}`));
    expect(cards.at(-1)!.title).toBe('OneFlow: Redesign the Distributed Deep Learning Framework from Scratch');
    expect(cards.find((c) => c.title.startsWith('γ-MoD'))!.title).toBe('γ-MoD: Exploring Mixture-of-Depth Adaptation for Multimodal Large Language Models');
    expect(contractViolations(cards)).toEqual([]);
    expect(hf.isListing(new URL(url))).toBe(true);
    expect(hf.expectsCards(new URL(url), parsePage(html, url))).toBe(true);
  });
});

describe('Hugging Face pages change under us', () => {
  it('a Svelte re-render of the whole list gives the same ids on the new elements', () => {
    const url = 'https://huggingface.co/papers/date/2025-01-22';
    const doc = loadHandmade('hf-date.html', url);
    const before = detect(doc, url);
    const grid = before[0].root.parentElement!.parentElement!;
    grid.replaceChildren(...[...grid.children].map((c) => c.cloneNode(true)));
    const after = detect(doc, url);
    expect(after.map((c) => c.id)).toEqual(before.map((c) => c.id));
    expect(after.every((c, i) => c.root !== before[i].root && c.root.isConnected)).toBe(true);
  });

  it('client-side navigation to another view: detection follows the new address and content', () => {
    const doc = loadHandmade('hf-date.html', 'https://huggingface.co/papers/date/2025-01-22');
    const week = loadHandmade('hf-week.html', 'https://huggingface.co/papers/week/2025-W04');
    doc.querySelector('main')!.replaceWith(doc.importNode(week.querySelector('main')!, true));
    const cards = detect(doc, 'https://huggingface.co/papers/week/2025-W04');
    expect(cards.map((c) => c.id)).toEqual(['arxiv:2501.12948', 'arxiv:2412.19437', 'arxiv:2501.04519', 'arxiv:2501.09732']);
  });

  it('"load more" appending 100 cards: all found, the first ones unchanged', () => {
    const url = 'https://huggingface.co/papers/trending';
    const doc = loadHandmade('hf-trending.html', url);
    const before = detect(doc, url);
    const list = before[0].root.parentElement!;
    for (let i = 0; i < 100; i++) {
      const card = doc.createElement('div');
      const id = `2502.${String(10000 + i)}`;
      const h2 = doc.createElement('h2');
      const a = doc.createElement('a');
      a.href = `https://huggingface.co/papers/${id}`;
      a.textContent = `Appended paper ${i}`;
      h2.append(a);
      card.append(h2);
      list.append(card);
    }
    const after = detect(doc, url);
    expect(after).toHaveLength(104);
    expect(after.slice(0, 4).map((c) => c.root)).toEqual(before.map((c) => c.root));
    expect(after.at(-1)).toMatchObject({ id: 'arxiv:2502.10099', title: 'Appended paper 99' });
    expect(contractViolations(after)).toEqual([]);
  });
});

describe('Hugging Face: which pages are served, listed, expected to show cards', () => {
  const blank = parsePage('<main></main>', 'https://huggingface.co/');
  it('serves /papers pages only', () => {
    expect(hf.serves(new URL('https://huggingface.co/papers'))).toBe(true);
    expect(hf.serves(new URL('https://huggingface.co/papers/2501.12948'))).toBe(true);
    expect(hf.serves(new URL('https://huggingface.co/models'))).toBe(false);
    expect(hf.serves(new URL('https://huggingface.co/deepseek-ai/DeepSeek-R1'))).toBe(false);
    expect(hf.serves(new URL('https://huggingface.co/papersx'))).toBe(false);
    expect(hf.serves(new URL('https://arxiv.org/papers/x'))).toBe(false);
  });

  it('listings are /papers, ?date=, ?q=, date/week/month views and trending', () => {
    for (const u of [
      'https://huggingface.co/papers',
      'https://huggingface.co/papers?date=2024-08-01',
      'https://huggingface.co/papers?q=transformers',
      'https://huggingface.co/papers/date/2025-01-22',
      'https://huggingface.co/papers/week/2025-W04',
      'https://huggingface.co/papers/month/2025-01',
      'https://huggingface.co/papers/trending',
    ]) {
      expect(hf.isListing(new URL(u)), u).toBe(true);
      expect(hf.expectsCards(new URL(u), blank), u).toBe(true);
    }
    expect(hf.isListing(new URL('https://huggingface.co/papers/2501.12948'))).toBe(false);
    expect(hf.expectsCards(new URL('https://huggingface.co/papers/2501.12948'), blank)).toBe(true);
    expect(hf.expectsCards(new URL('https://huggingface.co/papers/submit'), blank)).toBe(false);
    expect(hf.detect(blank, new URL('https://huggingface.co/papers/submit'))).toEqual([]);
  });

  it('a day with no papers says so in its data: no card, and no "site may have changed"', () => {
    const url = new URL('https://huggingface.co/papers/date/2025-01-25');
    const empty = parsePage(
      `<main><div class="SVELTE_HYDRATER contents" data-target="DailyPapers" data-props="{&quot;date&quot;:&quot;2025-01-25&quot;,&quot;dailyPapers&quot;:[]}"><section><h1>Daily Papers</h1></section></div></main>`,
      url.href,
    );
    expect(hf.detect(empty, url)).toEqual([]);
    expect(hf.expectsCards(url, empty)).toBe(false);
  });
});
