// Crawls the back-office in Debian's Chromium as each role would: from the
// dashboard, every same-origin link under /gestion (each path pattern a few
// times at most), every GET form submitted empty; PDFs and CSVs are fetched
// and checked, never opened. Every HTML page is checked at 1280 px and at
// 375 px: axe-core (WCAG 2.1 A and AA), one h1, a title, lang="fr", no
// horizontal scroll of the page at 375 px, a label for every field.
// Prints one JSON line per page, download, missing page or failure, and
// exits non-zero on any failure.
//
// node backoffice.mjs BASE_URL SCREENSHOT_DIR DOWNLOAD_DIR ROLES_JSON
// ROLES_JSON: [{"name": "...", "login": "...", "password": "...", "search": true}, ...]
// A role logs in with its password, or, when it has "cookie": {"name",
// "value"}, with that session cookie (a session the test made in the
// database: the administrator's, whose login needs a TOTP code); "search"
// says the role is expected to have the payments' search (a missing page
// is reported, not failed); "secondFactor" names the account whose
// password login leads to the second factor's page (checked as a visitor).
// The roles crawl at the same time; the first role listed that reaches a
// page of the menu gives its screenshot.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [base, shots, downloads, rolesJSON] = process.argv.slice(2);
const roles = JSON.parse(rolesJSON);
const perPattern = Number(process.env.REGIE_E2E_PER_PATTERN || 2);
const maxPages = Number(process.env.REGIE_E2E_MAX_PAGES || 40);
const prefix = '/gestion';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--lang=fr-FR', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
const out = (o) => console.log(JSON.stringify(o));
const fail = (what) => { failed = true; out({ error: what }); };
const missing = (what) => out({ missing: what });
// Screenshots already saved, by name, with the rank of the role that took
// them: the roles crawl at the same time, and the first role listed that
// reaches a page gives its picture.
const taken = new Map();
const here = (u) => { const x = new URL(u, base); return x.pathname + x.search; };

let shooting = Promise.resolve(); // one screenshot at a time: the best rank's is written last
function screenshot(page, name, rank, again) {
  shooting = shooting.catch(() => {}).then(() => shoot(page, name, rank, again));
  return shooting;
}

async function shoot(page, name, rank, again) {
  if (taken.has(name) && taken.get(name) < rank + (again ? 1 : 0)) return;
  taken.set(name, rank);
  // the whole page, cut at 1800 px: a long list shows its beginning
  const height = Math.min(1800, await page.evaluate(() => document.documentElement.scrollHeight));
  const width = page.viewportSize().width;
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true, clip: { x: 0, y: 0, width, height } });
  out({ shot: name, rank });
}

// check runs every check of one page at one width; label names it in the log.
async function check(page, who, label, width) {
  await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
  const res = await page.evaluate(async () => await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }));
  for (const v of res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
    fail(`${who} ${label} @${width}: axe ${v.id} (${v.impact}) on ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }
  const s = await page.evaluate(() => {
    const skip = ['hidden', 'submit', 'button', 'reset', 'image'];
    const root = document.documentElement;
    return {
      h1: document.querySelectorAll('h1').length,
      title: document.title.trim(),
      lang: root.lang,
      overflow: Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth,
      // what sticks out, deepest last: named in the failure
      wide: [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(-3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')),
      unlabelled: [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => !skip.includes(el.type) && el.getClientRects().length > 0 // rendered: not a hidden username for password managers
          && el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
        .map((el) => el.name || el.id || el.outerHTML.slice(0, 80)),
    };
  });
  if (s.h1 !== 1) fail(`${who} ${label} @${width}: ${s.h1} h1, want one`);
  if (!s.title) fail(`${who} ${label} @${width}: no <title>`);
  if (s.lang !== 'fr') fail(`${who} ${label} @${width}: lang="${s.lang}", want "fr"`);
  if (width < 500 && s.overflow > 0) fail(`${who} ${label} @${width}: the page scrolls sideways by ${s.overflow} px (${s.wide.join(', ')})`);
  if (s.unlabelled.length) fail(`${who} ${label} @${width}: fields without a label: ${s.unlabelled.join(', ')}`);
  out({ role: who, page: label, width, title: s.title, violations: res.violations.map((v) => `${v.id}:${v.impact}`) });
}

// visit loads an HTML page and checks it at both widths; it returns the
// status, the page's text and what it links to.
async function visit(page, who, url, shot) {
  const start = Date.now();
  const res = await page.goto(base + url);
  const status = res ? res.status() : 0;
  const loaded = Date.now();
  const label = `${url} (${status})` + (here(page.url()) !== url ? ` → ${here(page.url())}` : '');
  await check(page, who, label, 1280);
  if (shot && status === 200) await screenshot(page, shot.name, shot.rank, shot.again);
  const text = await page.evaluate(() => document.body.innerText);
  const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => ({ href: a.href, download: a.hasAttribute('download') })));
  const forms = await page.evaluate(() => [...document.querySelectorAll('form')]
    .filter((f) => (f.getAttribute('method') || 'get').toLowerCase() === 'get')
    .map((f) => { // getAttribute: a field named "action" hides the form's property
      const u = new URL(f.getAttribute('action') || '', document.baseURI);
      u.search = new URLSearchParams(new FormData(f)).toString();
      return u.href;
    }));
  await check(page, who, label, 375);
  out({ role: who, visited: url, final: here(page.url()), status, ms: Date.now() - start, load: loaded - start, text });
  return { status, final: here(page.url()), text, links, forms };
}

// fetchDownload fetches a PDF or CSV with the role's cookies and checks it.
let saved = 0;
async function fetchDownload(ctx, who, url) {
  const res = await ctx.request.get(base + url);
  const type = (res.headers()['content-type'] || '').split(';')[0].trim();
  const body = await res.body();
  const ext = { 'application/pdf': 'pdf', 'text/csv': 'csv' }[type];
  if (res.status() !== 200) fail(`${who} ${url}: status ${res.status()}`);
  else if (!ext) fail(`${who} ${url}: content type ${type}, want a PDF or a CSV`);
  else if (ext === 'pdf' && body.subarray(0, 5).toString() !== '%PDF-') fail(`${who} ${url}: not a PDF`);
  else if (ext === 'csv' && body.length === 0) fail(`${who} ${url}: an empty CSV`);
  const file = `${downloads}/${who}-${++saved}.${ext || 'bin'}`;
  writeFileSync(file, body);
  out({ role: who, download: url, status: res.status(), type, bytes: body.length, file });
}

// pattern names a page's kind: its path with every segment that looks like
// an id made a star — holding a digit (uuids, days, receipt numbers), in
// capitals (régie, counter and tariff codes) or long — and its query's keys.
function pattern(url) {
  const u = new URL(url, base);
  const id = (s) => /\d/.test(s) || /^[A-Z][A-Z0-9_-]*$/.test(decodeURIComponent(s)) || s.length > 24;
  const path = u.pathname.split('/').map((s) => (id(s) ? '*' : s)).join('/');
  return path + '?' + [...new Set(u.searchParams.keys())].sort().join('&');
}

const isDownload = (url) => /\.(pdf|csv)$/i.test(new URL(url, base).pathname) || /[?&](format|export)=/.test(url);

// menuShot names the screenshot of a menu entry's page after its path:
// gestion-tableau for the dashboard, gestion-recherche for the payments'
// search, gestion-<last segment> for the others.
function menuShot(path) {
  const last = path.replace(/\/$/, '').split('/').pop();
  return 'gestion-' + ({ gestion: 'tableau', paiements: 'recherche' }[last] || last);
}

// newContext is a fresh browser profile whose every page loads axe-core.
async function newContext() {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR',
    bypassCSP: true }); // for axe's own script only: the back-office's CSP forbids every script
  await ctx.addInitScript({ content: axeSource });
  return ctx;
}

async function crawl(role) {
  const who = role.name;
  const ctx = await newContext();
  const page = await ctx.newPage();
  if (role.cookie) {
    await ctx.addCookies([{ name: role.cookie.name, value: role.cookie.value, url: base }]);
  } else {
    await page.goto(`${base}${prefix}/connexion`);
    await page.fill('#login', role.login);
    await page.fill('#password', role.password);
    await page.click('main form button[type="submit"]');
  }
  await page.goto(`${base}${prefix}/`);
  if (here(page.url()) !== `${prefix}/`) {
    fail(`${who}: the dashboard is not reached after login (at ${here(page.url())})`);
    await ctx.close();
    return;
  }
  const menu = await page.evaluate(() => [...document.querySelectorAll('nav a[href]')].map((a) => ({ label: a.textContent.trim(), href: a.href })));
  if (menu.length === 0) fail(`${who}: the dashboard has no menu`);
  const menuPaths = new Map(menu.map((m) => [here(m.href), m.label]));
  const payments = menu.find((m) => m.label === 'Paiements');

  const queue = [`${prefix}/`];
  const seen = new Set(queue);
  const perKind = new Map();
  const enqueue = (href, front) => {
    const u = new URL(href, base);
    if (u.origin !== new URL(base).origin || !u.pathname.startsWith(prefix + '/')) return;
    if (u.pathname.startsWith(`${prefix}/static/`) || u.pathname.includes('deconnexion')) return;
    const url = u.pathname + u.search;
    if (seen.has(url)) return;
    seen.add(url);
    front ? queue.unshift(url) : queue.push(url);
  };
  // The expected pages (search, its results, a payment's detail) go first,
  // so that they are reached within the crawl's bounds.
  let resultsURL = null;
  let detailURL = null;
  if (payments) enqueue(payments.href, true);
  else if (role.search) missing(`${who}: no "Paiements" entry in the menu`);
  let pages = 0;
  while (queue.length) {
    const url = queue.shift();
    const kind = pattern(url);
    const n = (perKind.get(kind) || 0) + 1;
    perKind.set(kind, n);
    if (n > perPattern && url !== resultsURL && url !== detailURL) continue;
    if (isDownload(url)) {
      await fetchDownload(ctx, who, url);
      continue;
    }
    if (++pages > maxPages) {
      out({ note: `${who}: stopped after ${maxPages} pages, ${queue.length} left` });
      break;
    }
    const head = await ctx.request.get(base + url);
    const type = (head.headers()['content-type'] || '').split(';')[0].trim();
    if (type !== 'text/html') {
      await fetchDownload(ctx, who, url);
      continue;
    }
    let shot = null;
    if (menuPaths.has(url)) shot = { name: menuShot(url), rank: role.rank };
    if (url === detailURL) shot = { name: 'gestion-paiement', rank: role.rank };
    // the search with its results replaces the empty search's picture
    if (url === resultsURL) shot = { name: 'gestion-recherche', rank: role.rank, again: true };
    let v;
    try {
      v = await visit(page, who, url, shot);
    } catch (err) {
      fail(`${who} ${url}: ${err.message.split('\n')[0]}`);
      continue;
    }
    if (url === `${prefix}/` && v.status === 200) await dashboardSmall(page, role.rank);
    if (v.status >= 500) fail(`${who} ${url}: status ${v.status}`);
    if (v.status === 403) fail(`${who} ${url}: a link shown to this role is refused to it (403)`);
    if (v.status === 404) missing(`${who}: ${url} answers 404 (${menuPaths.get(url) || 'linked page'})`);
    if (v.status !== 200) continue;
    if (v.final === `${prefix}/connexion`) {
      fail(`${who} ${url}: sent back to the login page`);
      continue;
    }
    if (payments && url === here(payments.href)) {
      // The search: its form submitted empty gives the results, whose
      // first payment link is a payment's detail.
      resultsURL = v.forms.map(here).find((f) => f.startsWith(url)) || v.forms.map(here)[0] || null;
      if (resultsURL) {
        seen.add(resultsURL);
        queue.unshift(resultsURL);
      } else {
        missing(`${who}: the search page ${url} has no GET form`);
        resultsURL = url;
        detailURL = firstPayment(v.links, url);
        if (detailURL) { seen.add(detailURL); queue.unshift(detailURL); }
      }
    } else if (url === resultsURL) {
      detailURL = firstPayment(v.links, here(payments.href));
      if (detailURL) {
        seen.add(detailURL);
        queue.unshift(detailURL);
      } else {
        missing(`${who}: the search's results ${url} link to no payment`);
      }
    }
    for (const l of v.links) enqueue(l.href, false);
    for (const f of v.forms) enqueue(f, false);
  }
  // Every role also gets the error page of an unknown address, with its menu.
  await visit(page, who, `${prefix}/page-inexistante`, null);
  out({ role: who, crawled: pages });
  await ctx.close();
}

// firstPayment is the first link under the search's path that is a page (a
// payment's detail), not an export.
function firstPayment(links, searchPath) {
  const l = links.find((l) => !l.download && here(l.href).startsWith(searchPath + '/') && !isDownload(l.href));
  return l ? here(l.href) : null;
}

async function dashboardSmall(page, rank) {
  await page.setViewportSize({ width: 375, height: 812 });
  await screenshot(page, 'gestion-tableau-375', rank);
  await page.setViewportSize({ width: 1280, height: 900 });
}

// anonymous checks what a visitor sees: the login page, a refused
// password, the second factor's page (reached with an administrator's
// password, when it exists), an unknown address.
async function anonymous(admin) {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const v = await visit(page, 'visiteur', `${prefix}/connexion`, { name: 'gestion-connexion', rank: 0 });
  if (v.status !== 200 || !(await page.locator('#login').count()) || !(await page.locator('#password').count())) {
    fail('visiteur: no login form at /gestion/connexion');
  }
  await page.fill('#login', 'personne');
  await page.fill('#password', 'mauvais');
  await page.click('main form button[type="submit"]');
  await check(page, 'visiteur', 'connexion refusée', 1280);
  await check(page, 'visiteur', 'connexion refusée', 375);
  if (admin) {
    await page.goto(`${base}${prefix}/connexion`);
    await page.fill('#login', admin.login);
    await page.fill('#password', admin.password);
    await page.click('main form button[type="submit"]');
    const res = await ctx.request.get(page.url());
    if (here(page.url()).startsWith(`${prefix}/connexion/`) && res.status() === 200) {
      await check(page, 'visiteur', `${here(page.url())} (second facteur)`, 1280);
      await screenshot(page, 'gestion-code', 0);
      await check(page, 'visiteur', `${here(page.url())} (second facteur)`, 375);
    } else {
      missing(`administrateur: the second factor's page (${here(page.url())}, ${res.status()})`);
    }
  }
  await visit(page, 'visiteur', `${prefix}/page-inexistante`, null);
  await ctx.close();
}

roles.forEach((r, i) => { r.rank = i; });
await Promise.all([anonymous(roles.find((r) => r.secondFactor)), ...roles.map(crawl)]);
await browser.close();
process.exit(failed ? 1 : 0);
