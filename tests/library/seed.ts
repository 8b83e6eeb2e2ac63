/**
 * A realistic library for end-to-end tests and benchmarks: N papers (arXiv, Hugging Face, OpenReview,
 * ACL, DOI), plausible titles, authors and notes, 200 tags with a long-tailed popularity, some tag
 * colours. Deterministic for a given seed. `writeLibraryInPage` writes it into the extension's
 * IndexedDB from one of its own pages (raw IndexedDB with the schema's store names and packed records:
 * page.evaluate cannot import our modules, and production code exposes nothing for tests).
 */
import type { Page } from 'playwright-core';
import { PACK_COUNT, packAll } from '../../lib/db/packs';
import { emptyDirectoryNumbers, fillDirectory, summarizeAnnotations, summarizePapers } from '../../lib/db/schema';
import { type Annotation, type Paper, type Stamped, deriveAnnotation } from '../../lib/model';

export interface SeedOptions {
  papers: number;
  tags: number;
  seed?: number;
  /** Clock times are spread over the three years before this. */
  now?: number;
}

export interface SeedTagMeta {
  name: string;
  color?: string;
  c: { t: number; d: string };
}

export interface SeededLibrary {
  papers: Paper[];
  annotations: Annotation[];
  tagMeta: SeedTagMeta[];
  tags: string[];
}

/** A tag carried by exactly one paper in ten (5,000 of 50,000): the benchmark renames it. */
export const EVERY_TENTH_TAG = 'reading-group';

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Alan', 'Yoshua', 'Geoffrey', 'Fei-Fei', 'Andrej', 'Ilya', 'Jürgen', 'Daphne', 'Chelsea', 'Percy', 'Christopher', 'Emily', 'Timnit', 'Kyunghyun', 'Oriol', 'Quoc', 'Jeff', 'Noam', 'Ashish', 'Niki', 'Jakob', 'Llion', 'Aidan', 'Łukasz', 'Dzmitry', 'Tomas', 'Sepp', 'Jianfeng', 'Xiaodong', 'Hao', 'Wei', 'Yi', 'Mei', 'Priya', 'Arjun', 'Sara', 'Lucía', 'Mateo', 'Zoë', 'Søren', 'Amélie', 'François', 'Nadia', 'Omar', 'Fatima', 'Kenji', 'Yuki', 'Min-jun', 'Ji-woo', 'Olga', 'Dmitri', 'Ines', 'João', 'Thandiwe', 'Kwame', 'Aisha', 'Rahul', 'Ananya', 'Liam', 'Noah', 'Emma', 'Olivia', 'Mia'];
const LAST = ['Lovelace', 'Turing', 'Bengio', 'Hinton', 'Li', 'Karpathy', 'Sutskever', 'Schmidhuber', 'Koller', 'Finn', 'Liang', 'Manning', 'Bender', 'Gebru', 'Cho', 'Vinyals', 'Le', 'Dean', 'Shazeer', 'Vaswani', 'Parmar', 'Uszkoreit', 'Jones', 'Gomez', 'Kaiser', 'Bahdanau', 'Mikolov', 'Hochreiter', 'Gao', 'He', 'Zhang', 'Wang', 'Chen', 'Liu', 'Sharma', 'Patel', 'García', 'Müller', 'Schröder', 'Dubois', 'Rossi', 'Nakamura', 'Tanaka', 'Kim', 'Park', 'Ivanova', 'Petrov', 'Silva', 'Santos', 'Mensah', 'Okafor', 'Haddad', 'Nguyen', 'Tran', 'Smith', 'Johnson', 'Brown', 'Davis', 'Wilson', 'Anderson', 'Thomas', 'Moore', 'Martin', 'Lee'];
const ADJ = ['Efficient', 'Scalable', 'Robust', 'Sparse', 'Adaptive', 'Hierarchical', 'Contrastive', 'Self-Supervised', 'Multimodal', 'Causal', 'Federated', 'Differentiable', 'Equivariant', 'Probabilistic', 'Lightweight', 'Interpretable', 'Zero-Shot', 'Few-Shot', 'Continual', 'Decentralized', 'Bayesian', 'Quantized', 'Long-Context', 'Retrieval-Augmented', 'Physics-Informed'];
const NOUN = ['Transformers', 'Diffusion Models', 'Graph Neural Networks', 'Language Models', 'Vision Transformers', 'Mixture-of-Experts', 'State Space Models', 'Neural Radiance Fields', 'Autoencoders', 'Reward Models', 'Policy Gradients', 'Attention', 'Embeddings', 'Tokenizers', 'Normalizing Flows', 'Energy-Based Models', 'Kernel Methods', 'Recurrent Networks', 'Speech Encoders', 'Point Cloud Networks'];
const TASK = ['Machine Translation', 'Protein Folding', 'Code Generation', 'Question Answering', 'Image Segmentation', 'Time Series Forecasting', 'Theorem Proving', 'Dialogue', 'Weather Prediction', 'Molecule Design', 'Speech Recognition', 'Video Understanding', 'Robotic Manipulation', 'Recommendation', 'Summarization', 'Galaxy Classification', 'Dark Matter Mapping', 'Fraud Detection', 'Medical Imaging', 'Low-Resource Languages'];
const VERB = ['Rethinking', 'Scaling', 'Revisiting', 'Understanding', 'Benchmarking', 'Distilling', 'Aligning', 'Compressing', 'Probing', 'Unifying'];
const NOTE_BITS = [
  'Key idea: {a} beats the baseline on {t} by a wide margin.',
  'Read section 3 again; the ablation on {n} is the interesting part.',
  'Compare with {l} et al. — same setup, different loss.',
  'Code is released; try it on our {t} data.',
  'Weak evaluation: only two seeds, no confidence intervals.',
  'Cite in the related-work section of the {t} draft.',
  'Ask {f} whether the {n} trick transfers to our setting.',
  'Lemma 2 looks wrong for non-convex losses.',
  'Good survey of {n}; figure 4 is worth a slide.',
  'Discussed at reading group: people liked the {a} variant.',
];
const TAG_WORDS = ['nlp', 'cv', 'rl', 'llm', 'diffusion', 'graphs', 'theory', 'optimization', 'robotics', 'speech', 'audio', 'vision', 'retrieval', 'alignment', 'safety', 'fairness', 'privacy', 'federated', 'compression', 'quantization', 'efficiency', 'benchmarks', 'datasets', 'evaluation', 'interpretability', 'causality', 'bayesian', 'kernels', 'generative', 'multimodal', 'video', '3d', 'nerf', 'protein', 'chemistry', 'physics', 'astro', 'climate', 'medicine', 'finance', 'code', 'math', 'reasoning', 'agents', 'planning', 'memory', 'tokenization', 'translation', 'summarization', 'qa'];
const TAG_SUFFIX = ['', '-survey', '-theory', '-benchmark', '-methods'];
const STATUS_TAGS = ['to-read', 'read', 'cite', 'important', 'reviewed', 'skim', 'replicate', 'thesis', 'teaching', 'follow-up'];
const COLORS = ['#d1242f', '#e16f24', '#bf8700', '#2da44e', '#0969da', '#8250df', '#bf3989', '#57606a'];

/** 200 (or `n`) distinct, realistic tag names; EVERY_TENTH_TAG is always one of them. */
export function tagNames(n: number): string[] {
  const out = new Set<string>([EVERY_TENTH_TAG, ...STATUS_TAGS]);
  for (const suffix of TAG_SUFFIX) for (const w of TAG_WORDS) out.add(w + suffix);
  return [...out].slice(0, n);
}

const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

function titleOf(r: () => number): string {
  switch (Math.floor(r() * 5)) {
    case 0:
      return `${pick(r, ADJ)} ${pick(r, NOUN)} for ${pick(r, TASK)}`;
    case 1:
      return `${pick(r, VERB)} ${pick(r, NOUN)}: ${pick(r, ADJ)} ${pick(r, TASK)} at Scale`;
    case 2:
      return `Towards ${pick(r, ADJ)} ${pick(r, TASK)} with ${pick(r, NOUN)}`;
    case 3:
      return `On the ${pick(r, ['Convergence', 'Robustness', 'Limits', 'Expressivity', 'Calibration'])} of ${pick(r, ADJ)} ${pick(r, NOUN)}`;
    default:
      return `${pick(r, NOUN)} Are ${pick(r, ['Secretly', 'Provably', 'Surprisingly'])} ${pick(r, ADJ)} ${pick(r, TASK)} Learners`;
  }
}

function noteOf(r: () => number): string {
  const parts: string[] = [];
  const lines = 1 + Math.floor(r() * 3);
  for (let i = 0; i < lines; i++) {
    const bit = pick(r, NOTE_BITS);
    if (parts.some((p) => p.startsWith(bit.slice(0, 12)))) continue;
    parts.push(
      bit
        .replace('{a}', pick(r, ADJ).toLowerCase())
        .replace('{n}', pick(r, NOUN).toLowerCase())
        .replace('{t}', pick(r, TASK).toLowerCase())
        .replace('{l}', pick(r, LAST))
        .replace('{f}', pick(r, FIRST)),
    );
  }
  return parts.join('\n');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ACL_VENUES = ['acl-long', 'acl-short', 'emnlp-main', 'naacl-main', 'findings-acl', 'eacl-main', 'coling-main'];

function idAndLinks(i: number, r: () => number): { id: string; site: string; links: Paper['links'] } {
  const kind = r();
  if (kind < 0.8) {
    // arXiv ids: unique by construction (YYMM from the index, then a 5-digit number).
    const yy = 15 + (i % 11);
    const mm = 1 + (Math.floor(i / 11) % 12);
    const num = String(Math.floor(i / 132)).padStart(5, '0');
    const aid = `${yy}${String(mm).padStart(2, '0')}.${num}`;
    const hf = kind > 0.7;
    return {
      id: `arxiv:${aid}`,
      site: hf ? 'huggingface' : 'arxiv',
      links: {
        abs: `https://arxiv.org/abs/${aid}`,
        pdf: `https://arxiv.org/pdf/${aid}`,
        ...(r() < 0.5 ? { html: `https://arxiv.org/html/${aid}` } : {}),
        ...(hf ? { hf: `https://huggingface.co/papers/${aid}` } : {}),
      },
    };
  }
  if (kind < 0.9) {
    let forum = '';
    for (let k = 0; k < 10; k++) forum += ALNUM[Math.floor(r() * ALNUM.length)];
    forum = forum.slice(0, 6) + i.toString(36).padStart(4, '0');
    return { id: `openreview:${forum}`, site: 'openreview', links: { openreview: `https://openreview.net/forum?id=${forum}` } };
  }
  if (kind < 0.96) {
    const acl = `${2018 + (i % 7)}.${pick(r, ACL_VENUES)}.${i}`;
    return { id: `acl:${acl}`, site: 'acl', links: { acl: `https://aclanthology.org/${acl}/`, pdf: `https://aclanthology.org/${acl}.pdf` } };
  }
  const doi = `10.1145/${3500000 + i}.${3600000 + Math.floor(r() * 99999)}`;
  return { id: `doi:${doi}`, site: 'scholar', links: { doi: `https://doi.org/${doi}` } };
}

/** Build the library. Every paper is in it (starred, tagged or noted). */
export function generateLibrary(opts: SeedOptions): SeededLibrary {
  const r = rng(opts.seed ?? 42);
  const now = opts.now ?? Date.now();
  const span = 3 * 365 * 86_400_000;
  const tags = tagNames(opts.tags);
  const pool = tags.filter((t) => t !== EVERY_TENTH_TAG);
  const papers: Paper[] = [];
  const annotations: Annotation[] = [];
  for (let i = 0; i < opts.papers; i++) {
    const { id, site, links } = idAndLinks(i, r);
    const created = Math.floor(now - span + r() * (span - 86_400_000));
    const updated = Math.floor(created + r() * (now - created));
    const authorCount = 1 + Math.floor(r() * r() * 9);
    const authors = Array.from({ length: authorCount }, () => `${pick(r, FIRST)} ${pick(r, LAST)}`);
    papers.push({ id, aliases: [], title: titleOf(r), authors, links, site, firstSeen: created, lastSeen: updated });
    const clock = (t: number) => ({ t, d: 'seed-device' });
    const paperTags: Record<string, Stamped<boolean>> = {};
    const tagCount = Math.floor(r() * r() * 5);
    for (let k = 0; k < tagCount; k++) {
      // Long tail: a few tags are on thousands of papers, most on a few dozen.
      const t = pool[Math.floor(Math.pow(r(), 2.2) * pool.length)];
      paperTags[t] = { v: true, c: clock(created + Math.floor(r() * (updated - created))) };
    }
    if (i % 10 === 3) paperTags[EVERY_TENTH_TAG] = { v: true, c: clock(created) };
    const hasNote = r() < 0.3;
    let starred = r() < 0.35;
    if (!hasNote && Object.keys(paperTags).length === 0) starred = true; // every paper is in the library
    annotations.push(
      deriveAnnotation({
        id,
        createdAt: created,
        tags: paperTags,
        ...(starred ? { star: { v: true, c: clock(updated) } } : {}),
        ...(hasNote ? { note: { v: noteOf(r), c: clock(updated) } } : {}),
      }),
    );
    // The newest change is `updated`, whichever field carries it.
    const a = annotations[annotations.length - 1];
    if (a.updatedAt < updated) {
      const first = Object.keys(paperTags)[0];
      if (first) paperTags[first] = { v: true, c: clock(updated) };
      annotations[annotations.length - 1] = deriveAnnotation({ ...a, tags: paperTags });
    }
  }
  const tagMeta = tags
    .filter((_, k) => k % 3 === 0)
    .map((name, k) => ({ name, color: COLORS[k % COLORS.length], c: { t: now - span, d: 'seed-device' } }));
  return { papers, annotations, tagMeta, tags };
}

/**
 * Write a generated library into the extension's database, from one of the extension's pages (the
 * database belongs to the extension's origin). Reload the page afterwards: pages that are open see
 * only writes made through Dexie.
 */
export async function writeLibraryInPage(page: Page, lib: SeededLibrary, chunk = 100): Promise<void> {
  // Make sure Dexie has created the schema (the page opened the database).
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const req = indexedDB.open('margins');
        req.onsuccess = () => {
          const ok = req.result.objectStoreNames.contains('annotationPacks') && req.result.objectStoreNames.contains('tagMeta');
          req.result.close();
          resolve(ok);
        };
        req.onerror = () => resolve(false);
      }),
  );
  // Packed here as the extension packs them (lib/db/packs.ts); the library must be empty before.
  const annotations = packAll(lib.annotations, summarizeAnnotations);
  const papers = packAll(lib.papers, summarizePapers);
  const stores = ['annotationPacks', 'annotationSummaries', 'paperPacks', 'paperSummaries', 'tagMeta', 'packDirectory'];
  // (The directory's numbers as a plain array: JSON carries no Float64Array; made one in the page.)
  const directory = [...fillDirectory(emptyDirectoryNumbers(), annotations.summaries)];
  const rows = [annotations.packs, annotations.summaries, papers.packs, papers.summaries, lib.tagMeta, [{ key: 'annotations', numbers: directory }]] as unknown[][];
  for (let i = 0; i < PACK_COUNT; i += chunk) {
    const batch = rows.map((list, s) => (s >= 4 ? (i === 0 ? list : []) : list.filter((r) => (r as { pack: number }).pack >= i && (r as { pack: number }).pack < i + chunk)));
    // One JSON string crosses the protocol much faster than a tree of 15,000 objects.
    await page.evaluate(
      ([json, names]) =>
        new Promise<void>((resolve, reject) => {
          const b = JSON.parse(json) as unknown[][];
          const req = indexedDB.open('margins');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const idb = req.result;
            const tx = idb.transaction(names, 'readwrite');
            names.forEach((name, s) => {
              for (const row of b[s]) {
                const r = row as { numbers?: number[] };
                tx.objectStore(name).put(name === 'packDirectory' ? { ...r, numbers: new Float64Array(r.numbers!) } : row);
              }
            });
            tx.oncomplete = () => {
              idb.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      [JSON.stringify(batch), stores] as const,
    );
  }
}
