/**
 * What the site adapters must find on every saved page in ../shared/fixtures (counts from its
 * PROVENANCE.md) and on our hand-made pages: one table, shared by the unit tests (jsdom) and the
 * end-to-end tests (real Chromium, each page served at `url`, its real address).
 *
 * - `file`: relative to ../shared/fixtures for FIXTURE_PAGES, to tests/sites/pages for HANDMADE_PAGES.
 * - `someIds`: canonical ids that must be among the cards (first, last and some in between).
 * - `firstTitle` / `lastTitle`: clean titles of the first and last card in document order (null when
 *   the page has no card).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteName } from '@/lib/sites/hosts';

export interface PageExpectation {
  file: string;
  url: string;
  site: SiteName;
  count: number;
  someIds: string[];
  firstTitle: string | null;
  lastTitle: string | null;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** ../shared/fixtures, resolved from the project root. */
export const FIXTURES_DIR = path.resolve(HERE, '../../../shared/fixtures');
/** tests/sites/pages: the hand-made pages. */
export const HANDMADE_DIR = path.resolve(HERE, 'pages');

export const FIXTURE_PAGES: PageExpectation[] = [
  {
    file: 'arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html',
    url: 'https://arxiv.org/list/astro-ph.CO/recent?show=1000',
    site: 'arxiv',
    count: 111,
    someIds: ['arxiv:2607.21497', 'arxiv:2607.21334', 'arxiv:2607.21247', 'arxiv:2607.19298', 'arxiv:2607.15339'],
    firstTitle: 'Hubble tension: a short review of theoretical explanations',
    lastTitle: 'Tighter Dark Matter Constraints from the Projected Mass Method: A Neural Network Enhanced Method for Galaxy Groups and Clusters',
  },
  {
    file: 'arxiv/list-astro-ph.CO-pastweek-2024-03-14-legacy-layout-raw.html',
    url: 'https://arxiv.org/list/astro-ph.CO/pastweek?show=1000',
    site: 'arxiv',
    count: 76,
    someIds: ['arxiv:2403.08726', 'arxiv:2403.08666', 'arxiv:2403.05619', 'arxiv:2403.03972'],
    firstTitle: 'Euclid: Testing photometric selection of emission-line galaxy targets',
    lastTitle: 'On the cosmology and terrestrial signals of sexaquark dark matter',
  },
  {
    file: 'arxiv/search-abstract-distributed-systems-size200-2025-12.html',
    url: 'https://arxiv.org/search/?searchtype=abstract&query=distributed+systems&abstracts=show&size=200',
    site: 'arxiv',
    count: 200,
    someIds: ['arxiv:2512.03003', 'arxiv:2512.02934', 'arxiv:2512.10701', 'arxiv:2512.08319', 'arxiv:2512.08261'],
    firstTitle: 'The role of the top Yukawa coupling in triple Higgs production at the LHC',
    lastTitle: 'Beyond Traditional Diagnostics: Transforming Patient-Side Information into Predictive Insights with Knowledge Graphs and Prototypes',
  },
  {
    file: 'arxiv/abs_2004.10162_2020-04_browse0.3.0.html',
    url: 'https://arxiv.org/abs/2004.10162',
    site: 'arxiv',
    count: 1,
    someIds: ['arxiv:2004.10162'],
    firstTitle: 'EMPIR: Ensembles of Mixed Precision Deep Networks for Increased Robustness against Adversarial Attacks',
    lastTitle: 'EMPIR: Ensembles of Mixed Precision Deep Networks for Increased Robustness against Adversarial Attacks',
  },
  {
    file: 'arxiv/list_cs_1991-01_empty_2024-06_newlayout_reformatted.html',
    url: 'https://arxiv.org/list/cs/1991-01',
    site: 'arxiv',
    count: 0,
    someIds: [],
    firstTitle: null,
    lastTitle: null,
  },
  {
    file: 'huggingface/daily-papers-2024-08-01-raw.html',
    url: 'https://huggingface.co/papers?date=2024-08-01',
    site: 'huggingface',
    count: 13,
    someIds: ['arxiv:2407.21783', 'arxiv:2407.21705', 'arxiv:2407.21530', 'arxiv:2407.21475', 'arxiv:2404.01300'],
    firstTitle: 'The Llama 3 Herd of Models',
    lastTitle: 'NeRF-MAE: Masked AutoEncoders for Self-Supervised 3D Representation Learning for Neural Radiance Fields',
  },
  {
    file: 'openreview/group_ICLR.cc-2018-Conference_2017-12_browser-saved.html',
    url: 'https://openreview.net/group?id=ICLR.cc/2018/Conference',
    site: 'openreview',
    count: 996,
    someIds: ['openreview:SyBPtQfAZ', 'openreview:H1S8UE-Rb', 'openreview:rydeCEhs-', 'openreview:HyyHX4gZM', 'openreview:rkNzJ4m0-'],
    firstTitle: 'Improving Discriminator-Generator Balance in Generative Adversarial Networks',
    lastTitle: 'Overview on Reinforcement Learning for Robotics',
  },
  {
    file: 'scholar/search_game-theory-software-engineering_2022-12.html',
    url: 'https://scholar.google.com/scholar?as_ylo=2017&as_yhi=2022&q=%22game+theory%22+%22software+engineering%22&hl=en&as_sdt=0,5',
    site: 'scholar',
    count: 10,
    someIds: [
      'url:https://ieeexplore.ieee.org/abstract/document/8852726',
      'doi:10.1007/s10664-020-09859-y',
      'doi:10.1145/3378936.3378952',
      'url:https://www.sciencedirect.com/science/article/pii/S1877050919307252',
    ],
    firstTitle: "The assessor's dilemma: Improving bug repair via empirical game theory",
    lastTitle: 'Community-Driven Design in Software Engineering',
  },
  {
    file: 'acl/author_andreas-madsack_2023-01.html',
    url: 'https://aclanthology.org/people/a/andreas-madsack/',
    site: 'acl',
    count: 6,
    someIds: ['acl:2022.in2writing-1.1', 'acl:W19-4201', 'acl:K18-3004', 'acl:W18-3607', 'acl:W18-6560', 'acl:W17-3524'],
    firstTitle: 'Data-to-text systems as writing environment',
    lastTitle: 'A working, non-trivial, topically indifferent NLG System for 17 languages',
  },
  {
    file: 'acl/papis_ACL_2021.naacl-main.208.html',
    url: 'https://aclanthology.org/2021.naacl-main.208/',
    site: 'acl',
    count: 1,
    someIds: ['acl:2021.naacl-main.208'],
    firstTitle: 'How many data points is a prompt worth?',
    lastTitle: 'How many data points is a prompt worth?',
  },
  {
    file: 'acl/papis_ACL_N04-1001_2023-09.html',
    url: 'https://aclanthology.org/N04-1001/',
    site: 'acl',
    count: 1,
    someIds: ['acl:N04-1001'],
    firstTitle: 'A Statistical Model for Multilingual Entity Detection and Tracking',
    lastTitle: 'A Statistical Model for Multilingual Entity Detection and Tracking',
  },
];

export const HANDMADE_PAGES: PageExpectation[] = [
  {
    file: 'arxiv-new-current.html',
    url: 'https://arxiv.org/list/cs.CL/new',
    site: 'arxiv',
    count: 8,
    someIds: ['arxiv:2501.12948', 'arxiv:2501.13011', 'arxiv:2501.12370', 'arxiv:2412.19437', 'arxiv:1706.03762', 'arxiv:cs/0112017'],
    firstTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
    lastTitle: 'An old-style identifier in a modern listing',
  },
  {
    file: 'arxiv-catchup.html',
    url: 'https://arxiv.org/catchup/cs.CL/2025-01-20?abs=True',
    site: 'arxiv',
    count: 4,
    someIds: ['arxiv:2501.12948', 'arxiv:2501.11120', 'arxiv:2501.10120', 'arxiv:2412.19437'],
    firstTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
    lastTitle: 'DeepSeek-V3 Technical Report',
  },
  {
    file: 'arxiv-abs-current.html',
    url: 'https://arxiv.org/abs/2501.12948',
    site: 'arxiv',
    count: 1,
    someIds: ['arxiv:2501.12948'],
    firstTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
    lastTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
  },
  {
    file: 'arxiv-list-mathjax-saved.html',
    url: 'https://arxiv.org/list/hep-th/recent',
    site: 'arxiv',
    count: 4,
    someIds: ['arxiv:2607.21001', 'arxiv:2607.21002', 'arxiv:2607.21003', 'arxiv:2607.21004'],
    firstTitle: 'The road towards precision measurements of $H_0$ with bright sirens',
    lastTitle: 'A title without formulas',
  },
  {
    file: 'hf-date.html',
    url: 'https://huggingface.co/papers/date/2025-01-22',
    site: 'huggingface',
    count: 5,
    someIds: ['arxiv:2501.12948', 'arxiv:2410.24164', 'arxiv:2501.10120'],
    firstTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
    lastTitle: 'PaSa: An LLM Agent for Comprehensive Academic Paper Search',
  },
  {
    file: 'hf-week.html',
    url: 'https://huggingface.co/papers/week/2025-W04',
    site: 'huggingface',
    count: 4,
    someIds: ['arxiv:2501.12948', 'arxiv:2412.19437', 'arxiv:2501.04519', 'arxiv:2501.09732'],
    firstTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
    lastTitle: 'Inference-Time Scaling for Diffusion Models beyond Scaling Denoising Steps',
  },
  {
    file: 'hf-month.html',
    url: 'https://huggingface.co/papers/month/2025-01',
    site: 'huggingface',
    count: 3,
    someIds: ['arxiv:2501.04519', 'arxiv:2501.12948', 'arxiv:2501.09732'],
    firstTitle: 'rStar-Math: Small LLMs Can Master Math Reasoning with Self-Evolved Deep Thinking',
    lastTitle: 'Inference-Time Scaling for Diffusion Models beyond Scaling Denoising Steps',
  },
  {
    file: 'hf-trending.html',
    url: 'https://huggingface.co/papers/trending',
    site: 'huggingface',
    count: 4,
    someIds: ['arxiv:2501.12948', 'arxiv:2412.19437', 'arxiv:2410.24164', 'arxiv:2501.04519'],
    firstTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
    lastTitle: 'rStar-Math: Small LLMs Can Master Math Reasoning with Self-Evolved Deep Thinking',
  },
  {
    file: 'hf-paper.html',
    url: 'https://huggingface.co/papers/2501.12948',
    site: 'huggingface',
    count: 1,
    someIds: ['arxiv:2501.12948'],
    firstTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
    lastTitle: 'DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning',
  },
  {
    file: 'openreview-venue-react.html',
    url: 'https://openreview.net/group?id=ICLR.cc/2025/Conference#tab-accept-oral',
    site: 'openreview',
    count: 5,
    someIds: ['openreview:odjMSBSWRt', 'openreview:3Hy00Wvabi', 'openreview:Y8bR-7y_q2X', 'openreview:BpLJBnnDsa', 'openreview:tc90LV0yRL'],
    firstTitle: 'Scaling In-the-Wild Training for Diffusion-based Illumination Harmonization and Editing by Imposing Consistent Light Transport',
    lastTitle: 'Cybench: A Framework for Evaluating Cybersecurity Capabilities and Risks of Language Models',
  },
  {
    file: 'openreview-forum-react.html',
    url: 'https://openreview.net/forum?id=odjMSBSWRt',
    site: 'openreview',
    count: 1,
    someIds: ['openreview:odjMSBSWRt'],
    firstTitle: 'Scaling In-the-Wild Training for Diffusion-based Illumination Harmonization and Editing by Imposing Consistent Light Transport',
    lastTitle: 'Scaling In-the-Wild Training for Diffusion-based Illumination Harmonization and Editing by Imposing Consistent Light Transport',
  },
  {
    file: 'scholar-results-edge.html',
    url: 'https://scholar.google.com/scholar?hl=en&q=attention',
    site: 'scholar',
    count: 6,
    someIds: ['arxiv:1706.03762', 'arxiv:1810.04805', 'url:https://scholar.google.com/scholar?cluster=1298287011376404396', 'doi:10.1002/widm.1249', 'acl:N19-1423'],
    firstTitle: 'Attention is all you need',
    lastTitle: 'BERT at NAACL',
  },
  {
    file: 'scholar-profile.html',
    url: 'https://scholar.google.com/citations?user=JicYPdAAAAAJ&hl=en',
    site: 'scholar',
    count: 4,
    someIds: [],
    firstTitle: 'Imagenet classification with deep convolutional neural networks',
    lastTitle: 'Visualizing data using t-SNE',
  },
  {
    file: 'acl-author-2026.html',
    url: 'https://aclanthology.org/people/jane-doe/',
    site: 'acl',
    count: 4,
    someIds: ['acl:2026.acl-long.12', 'acl:2026.findings-acl.7', 'acl:2025.emnlp-main.101', 'acl:W19-4201'],
    firstTitle: 'Tokenization Matters for LLM Arithmetic',
    lastTitle: 'An Old-Style Identifier',
  },
  {
    file: 'acl-volume-2023.html',
    url: 'https://aclanthology.org/volumes/2022.in2writing-1/',
    site: 'acl',
    count: 4,
    someIds: ['acl:2022.in2writing-1.0', 'acl:2022.in2writing-1.1', 'acl:2022.in2writing-1.3'],
    firstTitle: 'Proceedings of the First Workshop on Intelligent and Interactive Writing Assistants (In2Writing 2022)',
    lastTitle: 'A Selective Summary of Where to Hide a Stolen Elephant: Leaps in Creative Writing with Multimodal Machine Intelligence',
  },
  {
    file: 'acl-event-2023.html',
    url: 'https://aclanthology.org/events/in2writing-2022/',
    site: 'acl',
    count: 3,
    someIds: ['acl:2022.in2writing-1.1', 'acl:2022.in2writing-1.2', 'acl:2022.in2writing-2.1'],
    firstTitle: 'Data-to-text systems as writing environment',
    lastTitle: 'The Only Paper of the Companion Volume',
  },
  {
    file: 'acl-volume-2026.html',
    url: 'https://aclanthology.org/volumes/2026.acl-long/',
    site: 'acl',
    count: 3,
    someIds: ['acl:2026.acl-long.0', 'acl:2026.acl-long.1', 'acl:2026.acl-long.2'],
    firstTitle: 'Proceedings of the 64th Annual Meeting of the ACL (Volume 1: Long Papers)',
    lastTitle: 'Absolute Links Work Too',
  },
  {
    file: 'acl-paper-2026.html',
    url: 'https://aclanthology.org/2026.acl-long.12/',
    site: 'acl',
    count: 1,
    someIds: ['acl:2026.acl-long.12'],
    firstTitle: 'Tokenization Matters for LLM Arithmetic',
    lastTitle: 'Tokenization Matters for LLM Arithmetic',
  },
];
