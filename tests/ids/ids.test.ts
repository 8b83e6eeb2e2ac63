import { describe, expect, it } from 'vitest';
import { isCanonicalId, parsePaperId, parsePaperUrl } from '@/lib/ids';

/** [input as found in the wild, canonical id or null (must be rejected), version kept] */
const CASES: [string, string | null, string?][] = [
  // arXiv new style, with and without version
  ['2301.00001', 'arxiv:2301.00001'],
  ['2301.00001v3', 'arxiv:2301.00001', 'v3'],
  ['0704.0001', 'arxiv:0704.0001'],
  ['1412.6980v9', 'arxiv:1412.6980', 'v9'],
  ['arXiv:1706.03762', 'arxiv:1706.03762'],
  ['arXiv:1706.03762v7', 'arxiv:1706.03762', 'v7'],
  ['  2607.21497  ', 'arxiv:2607.21497'],
  // arXiv old style
  ['hep-th/9901001', 'arxiv:hep-th/9901001'],
  ['hep-th/9901001v2', 'arxiv:hep-th/9901001', 'v2'],
  ['math.GT/0309136', 'arxiv:math/0309136'],
  ['cond-mat.stat-mech/0102536', 'arxiv:cond-mat/0102536'],
  ['arxiv:astro-ph/0601001', 'arxiv:astro-ph/0601001'],
  ['cs.LG/0101001', 'arxiv:cs/0101001'],
  // URLs of arXiv pages and mirrors
  ['https://arxiv.org/abs/2301.00001', 'arxiv:2301.00001'],
  ['https://arxiv.org/abs/2301.00001v2', 'arxiv:2301.00001', 'v2'],
  ['http://arxiv.org/abs/hep-th/9901001', 'arxiv:hep-th/9901001'],
  ['https://arxiv.org/pdf/2301.00001', 'arxiv:2301.00001'],
  ['https://arxiv.org/pdf/2301.00001v1.pdf', 'arxiv:2301.00001', 'v1'],
  ['https://arxiv.org/pdf/math.GT/0309136.pdf', 'arxiv:math/0309136'],
  ['https://arxiv.org/html/2607.21497v1', 'arxiv:2607.21497', 'v1'],
  ['https://arxiv.org/format/2607.21497', 'arxiv:2607.21497'],
  ['https://export.arxiv.org/abs/2301.00001', 'arxiv:2301.00001'],
  ['https://www.arxiv.org/abs/2301.00001?context=cs#x', 'arxiv:2301.00001'],
  ['https://www.alphaxiv.org/abs/2301.00001', 'arxiv:2301.00001'],
  ['https://www.alphaxiv.org/overview/2301.00001v2', 'arxiv:2301.00001', 'v2'],
  ['https://ar5iv.labs.arxiv.org/html/1910.06709', 'arxiv:1910.06709'],
  ['https://ar5iv.org/abs/1910.06709', 'arxiv:1910.06709'],
  ['https://huggingface.co/papers/2301.00001', 'arxiv:2301.00001'],
  ['https://huggingface.co/papers/2408.00714/', 'arxiv:2408.00714'],
  // DOIs
  ['10.48550/arXiv.2301.00001', 'arxiv:2301.00001'],
  ['https://doi.org/10.48550/arXiv.1706.03762', 'arxiv:1706.03762'],
  ['10.1145/3368089.3409760', 'doi:10.1145/3368089.3409760'],
  ['doi:10.1038/NATURE14539', 'doi:10.1038/nature14539'],
  ['https://doi.org/10.18653/v1/2021.naacl-main.208', 'doi:10.18653/v1/2021.naacl-main.208'],
  ['https://dx.doi.org/10.1103/PhysRevLett.116.061102', 'doi:10.1103/physrevlett.116.061102'],
  ['https://doi.org/10.1002%2F(SICI)1097-4571', 'doi:10.1002/(sici)1097-4571'],
  // OpenReview
  ['https://openreview.net/forum?id=BJ3filKll', 'openreview:BJ3filKll'],
  ['https://openreview.net/forum?id=rJXMpikCZ&noteId=abc', 'openreview:rJXMpikCZ'],
  ['https://openreview.net/pdf?id=2HqWMJPJf5', 'openreview:2HqWMJPJf5'],
  ['openreview:BJ3filKll', 'openreview:BJ3filKll'],
  // ACL Anthology
  ['https://aclanthology.org/2021.naacl-main.208/', 'acl:2021.naacl-main.208'],
  ['https://aclanthology.org/2021.naacl-main.208.pdf', 'acl:2021.naacl-main.208'],
  ['https://aclanthology.org/N04-1001/', 'acl:N04-1001'],
  ['https://www.aclweb.org/anthology/P19-1001', 'acl:P19-1001'],
  ['acl:2020.acl-demos.1', 'acl:2020.acl-demos.1'],
  ['N04-1001', 'acl:N04-1001'],
  // Other URLs become url: ids, normalised
  ['https://example.org/paper/42?utm_source=x#section', 'url:https://example.org/paper/42'],
  ['http://EXAMPLE.org/a/', 'url:https://example.org/a'],
  // Must be rejected
  ['', null],
  ['hello world', null],
  ['2301.0001', null], // four digits before 2015 and five after: 2301 needs five
  ['2313.00001', null], // month 13
  ['2300.00001', null], // month 00
  ['23010.00001', null],
  ['foo-bar/9901001', null], // not an arXiv archive
  ['hep-th/99010011', null],
  ['10.1234', null], // DOI without suffix
  ['https://arxiv.org/list/cs.LG/recent', null],
  ['https://huggingface.co/papers', null],
  ['https://huggingface.co/papers/not-an-id', null],
  ['https://openreview.net/group?id=ICLR.cc/2018/Conference', null],
  ['https://aclanthology.org/people/a/andreas-madsack/', null],
  ['javascript:alert(1)', null],
  ['arxiv:not-an-id', null],
  ['doi:not-a-doi', null],
  ['openreview:a b', null],
];

describe('paper identity', () => {
  it('has at least 40 real-world cases, some rejected', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(CASES.filter(([, id]) => id === null).length).toBeGreaterThanOrEqual(10);
  });

  it.each(CASES)('%s -> %s', (input, id, version) => {
    const parsed = parsePaperId(input);
    if (id === null) {
      // A URL of a known site that is not a paper must not become a url: id either.
      expect(parsed?.scheme === 'url' ? null : parsed).toBeNull();
      if (/^(https?:\/\/)?(arxiv|huggingface|openreview|aclanthology)/.test(input)) expect(parsed).toBeNull();
      return;
    }
    expect(parsed?.id).toBe(id);
    expect(parsed?.version).toBe(version);
    expect(isCanonicalId(id)).toBe(true);
    // Canonical ids are fixed points.
    expect(parsePaperId(id)?.id).toBe(id);
  });

  it('resolves relative links against the page', () => {
    expect(parsePaperUrl('/abs/2301.00001', 'https://arxiv.org/list/cs/new')?.id).toBe('arxiv:2301.00001');
    expect(parsePaperUrl('/papers/2408.00714', 'https://huggingface.co/papers?date=2024-08-01')?.id).toBe('arxiv:2408.00714');
    expect(parsePaperUrl('forum?id=BJ3filKll', 'https://openreview.net/group?id=x')?.id).toBe('openreview:BJ3filKll');
  });

  it('keeps OpenReview ids case-sensitive and DOIs case-insensitive', () => {
    expect(parsePaperId('openreview:Bj3filKll')?.id).not.toBe(parsePaperId('openreview:BJ3filKll')?.id);
    expect(parsePaperId('10.1038/NATURE14539')?.id).toBe(parsePaperId('10.1038/nature14539')?.id);
  });
});
