// Drives the citizen portal in Debian's Chromium, as a parent on a phone
// (375 px) and on a desktop (1280 px) would: log in through the local
// FranceConnect, link the household, list the payments, download a
// receipt; axe-core checks every page. Prints one JSON line per page and
// exits non-zero on any failure or on a serious or critical violation.
//
// node portal.mjs BASE_URL SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [base, shots] = process.argv.slice(2);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
const fail = (what) => { failed = true; console.log(JSON.stringify({ error: what })); };

async function check(page, name, width) {
  await page.addScriptTag({ content: axeSource });
  const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const title = await page.title();
  console.log(JSON.stringify({ page: name, width, title, violations: res.violations.map((v) => v.id + ':' + v.impact) }));
  if (bad.length) fail(`${name} @${width}: ${bad.map((v) => v.id).join(', ')}`);
  if (shots) await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
}

for (const width of [375, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 812 : 900 }, locale: 'fr-FR', acceptDownloads: true,
    bypassCSP: true // for axe's own script only: the portal's CSP forbids every script
  });
  const page = await context.newPage();
  await page.goto(`${base}/connexion`);
  await check(page, 'connexion', width);
  await page.click('a.fc-button');
  await page.click('button[value="fc-hlefevre"]');
  await page.waitForURL(/\/(foyers|paiements)/); // once linked, the portal opens on the payments
  if (width === 375) {
    await check(page, 'foyers', width);
    await page.fill('#code', 'K7Q101X');
    await page.click('form[action="/foyers/lier"]:has(#code) button[type="submit"]');
  }
  await page.goto(`${base}/paiements`);
  const rows = await page.locator('table tbody tr').count();
  if (rows < 1) fail(`no payment listed @${width}`);
  const text = await page.locator('main').innerText();
  if (!/R-ENF-C01-\d{4}-000001/.test(text) || !/€/.test(text)) fail(`payments page lacks the receipt @${width}: ${text.slice(0, 200)}`);
  for (const c of ['GESTION', 'ENLIGNE']) if (!new RegExp(`R-ENF-${c}-\\d{4}-000001`).test(text)) fail(`payments page lacks the ${c} payment @${width}`);
  await check(page, 'paiements', width);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href$="recu.pdf"] >> nth=0')]);
  const pdf = readFileSync(await download.path());
  if (pdf.subarray(0, 5).toString() !== '%PDF-') fail(`the receipt is not a PDF @${width}`);
  console.log(JSON.stringify({ download: download.suggestedFilename(), bytes: pdf.length, width }));
  const more = [['factures', '/factures'], ['services', '/services'], ['attestations', '/attestations'], ['accessibilite', '/accessibilite'], ['confidentialite', '/confidentialite']];
  if (width === 1280) more.push(['foyers', '/foyers']); // linked: who has access
  for (const [name, path] of more) {
    await page.goto(base + path);
    await check(page, name, width);
  }
  await context.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
