/**
 * `npm run screenshots`: pictures of what the reader sees, light and dark, into docs/screenshots/: a decorated
 * arXiv listing, the Hugging Face daily list, and the popup. The saved pages come without their sites'
 * stylesheets (they are not in the captures), so the pages look plainer than the live sites; our controls
 * look exactly as they do there. Needs a build (`npm run build`).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, launchExtension, revealCard } from './harness';

const OUT = path.join(ROOT, 'docs/screenshots');
mkdirSync(OUT, { recursive: true });

const ARXIV = 'https://arxiv.org/list/astro-ph.CO/recent?show=1000';
const HF = 'https://huggingface.co/papers?date=2024-08-01';

async function annotate(page: Page, id: string, tags: string[], note?: string, star = true) {
  const controls = await revealCard(page, id);
  if (star) await controls.getByRole('button', { name: /^Star/ }).click();
  for (const tag of tags) {
    await controls.getByRole('button', { name: /^Add a tag/ }).click();
    await page.keyboard.type(tag);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
  }
  if (note) {
    await controls.getByRole('button', { name: /^Add a note/ }).click();
    await page.keyboard.type(note);
    await page.keyboard.press('Escape');
  }
}

for (const scheme of ['light', 'dark'] as const) {
  const b = await launchExtension({ colorScheme: scheme, viewport: { width: 1100, height: 720 } });
  b.serveFixture(ARXIV, 'arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html');
  b.serveFixture(HF, 'huggingface/daily-papers-2024-08-01-raw.html');
  // Dark pages: the captures carry no stylesheet, so give the page a dark background as the sites' dark themes do.
  const darkPage = scheme === 'dark' ? 'html{background:#0d1117;color:#e6edf3} a{color:#4493f8}' : '';

  const arxiv = await b.open(ARXIV);
  if (darkPage) await arxiv.addStyleTag({ content: darkPage });
  await annotate(arxiv, 'arxiv:2607.21497', ['cosmology', 'hubble-tension'], 'Good overview of early dark energy vs. modified gravity; compare with Sec. 4 of the DESI paper.');
  await annotate(arxiv, 'arxiv:2607.21247', ['cmb']);
  await annotate(arxiv, 'arxiv:2607.21244', ['hubble-tension'], undefined, false);
  await arxiv.keyboard.press('j');
  await arxiv.keyboard.press('j');
  await arxiv.keyboard.press('t');
  await arxiv.keyboard.type('c');
  await arxiv.waitForTimeout(300);
  await arxiv.locator('[data-margins-id="arxiv:2607.21497"]').evaluate((el) => el.previousElementSibling!.scrollIntoView({ block: 'start' }));
  await arxiv.evaluate(() => window.scrollBy(0, -40));
  await arxiv.screenshot({ path: path.join(OUT, `arxiv-listing-${scheme}.png`) });

  const hf = await b.open(HF);
  if (darkPage) await hf.addStyleTag({ content: darkPage });
  const hfIds = await hf.$$eval('[data-margins-id]', (els) => els.map((e) => e.getAttribute('data-margins-id')!));
  await annotate(hf, hfIds[0], ['agents'], 'Try their eval harness on our tasks.');
  await annotate(hf, hfIds[1], ['rl', 'agents']);
  await hf.locator(`[data-margins-id="${hfIds[0]}"]`).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await hf.screenshot({ path: path.join(OUT, `huggingface-${scheme}.png`) });

  const popup = await b.popupFor(arxiv);
  await popup.waitForSelector('li.paper-row');
  await popup.waitForTimeout(300);
  await popup.screenshot({ path: path.join(OUT, `popup-${scheme}.png`) });
  await b.close();
}
console.log(`screenshots written to ${path.relative(ROOT, OUT)}`);
