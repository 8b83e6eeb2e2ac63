/**
 * `npm run screenshots`: pictures of what the reader sees, light and dark, into docs/screenshots/: a decorated
 * arXiv listing, the Hugging Face daily list, the popup, and the import preview of a file from another
 * device. The saved pages come without their sites'
 * stylesheets (they are not in the captures), so the pages look plainer than the live sites; our controls
 * look exactly as they do there. Needs a build (`npm run build`).
 */
import { mkdirSync, readFileSync } from 'node:fs';
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

  // The import preview of a file from "another device": its newer note conflicts with this one's, a tag added.
  const settings = await b.extensionPage('library.html?view=settings');
  const panel = settings.getByRole('region', { name: 'Sync & backup' });
  const [download] = await Promise.all([settings.waitForEvent('download'), panel.getByRole('button', { name: 'Export', exact: true }).click()]);
  const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  const c = { t: Date.now() + 60_000, d: 'laptop01' };
  file.device = 'laptop01';
  file.annotations = file.annotations.map((a: { id: string; tags: object }) =>
    a.id === 'arxiv:2607.21497' ? { ...a, note: { v: 'Read on the train: the EDE fits look fine-tuned; ask about priors.', c }, tags: { ...a.tags, 'journal-club': { v: true, c } } } : a,
  );
  await settings.getByLabel('Import a Margins file…').setInputFiles({ name: 'margins-laptop.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  const preview = settings.getByRole('region', { name: 'Import “margins-laptop.json”?' });
  await preview.waitFor();
  await preview.screenshot({ path: path.join(OUT, `import-preview-${scheme}.png`) });

  // Imported: the laptop's newer note won; this device's text is one click away under the note editor.
  await preview.getByRole('button', { name: 'Import' }).click();
  await panel.getByTestId('import-result').waitFor();
  const library = await b.extensionPage('library.html');
  await library.setViewportSize({ width: 1100, height: 620 });
  await library.getByRole('searchbox', { name: /Search titles/ }).fill('2607.21497');
  await library.getByRole('button', { name: /^Edit the note on/ }).click();
  await library.getByRole('button', { name: 'Earlier versions (1)' }).click();
  await library.getByRole('list', { name: 'Earlier versions of this note' }).waitFor();
  await library.screenshot({ path: path.join(OUT, `note-versions-${scheme}.png`) });

  // The same versions from the popup, on the listing.
  const popupAfter = await b.popupFor(arxiv);
  const row = popupAfter.locator('li.paper-row[data-paper-id="arxiv:2607.21497"]');
  await row.getByRole('button', { name: /^Edit the note on/ }).click();
  await row.getByRole('button', { name: 'Earlier versions (1)' }).click();
  await row.getByRole('list', { name: 'Earlier versions of this note' }).waitFor();
  await popupAfter.screenshot({ path: path.join(OUT, `popup-note-versions-${scheme}.png`) });
  await b.close();
}
console.log(`screenshots written to ${path.relative(ROOT, OUT)}`);
