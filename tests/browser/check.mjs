// Real-browser check of bordermap's offline interactive map, in Debian's Chromium through
// playwright-core.
//
//   node tests/browser/check.mjs [--page output/map.html] [--hostile target/browser/hostile.html]
//                                [--data output/incidents.geojson] [--no-docs]
//
// The shipped page must show every located incident, open an incident's panel with its
// title and every claim, follow the time slider, hide and show the disputed overlay and
// recompute section statuses for a date, find Ворух and Vorukh, restore a view from its URL,
// pan and zoom with mouse and keyboard, log no console error and make no request but the
// page's own file. The hostile page (names and URLs that are script payloads) must run none
// of them. Screenshots go to target/browser/; docs/map-html.png is the README's.
//
// Every action and lookup waits at most TIMEOUT_MS (3 s) for its element, so an element the
// check expects and the page lacks fails the run quickly instead of after Playwright's 30 s.
//
// Each browser launch gets a fresh, empty profile (Playwright creates a new temporary
// user-data-dir per launch and removes it afterwards).

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const PAGE = path.resolve(root, option('--page', 'output/map.html'));
const HOSTILE = path.resolve(root, option('--hostile', 'target/browser/hostile.html'));
const DATA = path.resolve(root, option('--data', 'output/incidents.geojson'));
const SHOTS = path.resolve(root, 'target/browser');
const DOCS = process.argv.includes('--no-docs') ? null : path.resolve(root, 'docs/map-html.png');
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];
const TIMEOUT_MS = 3000;
const HOSTILE_TITLE = '</title><script>alert(1)</script> & <b>map</b>';

const failures = [];
let passed = 0;
function check(ok, what, detail) {
  if (ok) {
    passed++;
    console.log('  ok   ' + what);
  } else {
    failures.push(what + (detail !== undefined ? ': ' + detail : ''));
    console.log('  FAIL ' + what + (detail !== undefined ? ': ' + detail : ''));
  }
}

/** Opens `file` in a fresh browser; records console errors, page errors and every request. */
async function open(file, { viewport = { width: 1440, height: 900 }, hash = '', init } = {}) {
  const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true });
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, serviceWorkers: 'block' });
  context.setDefaultTimeout(TIMEOUT_MS);
  const url = pathToFileURL(file).href;
  const log = { errors: [], requests: [], url };
  // Anything but the page's own file is refused before it reaches the network, and recorded.
  await context.route('**/*', (route) => {
    const u = route.request().url().split('#')[0];
    if (u === url) return route.continue();
    log.requests.push(u);
    return route.abort();
  });
  context.on('request', (r) => {
    const u = r.url().split('#')[0];
    if (u !== url && !log.requests.includes(u)) log.requests.push(u);
  });
  const page = await context.newPage();
  page.on('request', (r) => {
    const u = r.url().split('#')[0];
    if (u !== url && !log.requests.includes(u)) log.requests.push(u);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('websocket', (w) => log.requests.push(w.url()));
  if (init) await page.addInitScript(init);
  await page.goto(url + hash);
  await page.waitForSelector('html[data-ready="1"]', { timeout: 15000 });
  await page.waitForTimeout(300);
  return { browser, page, log };
}

const text = async (page, sel) => (await page.locator(sel).first().textContent()).trim();
const settle = (page) => page.waitForTimeout(350);

async function model(page) {
  return page.evaluate(() => ({
    m: JSON.parse(document.getElementById('bm-model').textContent),
    fc: JSON.parse(document.getElementById('bm-incidents').textContent)
  }));
}

/** The URL hash that centres the view on an incident at `mpp` metres per pixel. */
function hashAt(m, i, mpp, extra = '') {
  const w = m.world;
  const [x, y] = m.incidents[i].xy;
  return '#c=' + Math.round(w.e0 + x * w.unit_m) + ',' + Math.round(w.n0 - y * w.unit_m) + '&m=' + mpp + extra;
}

async function go(page, hash) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await settle(page);
}

async function shipped() {
  console.log('shipped page: ' + path.relative(root, PAGE));
  const data = JSON.parse(fs.readFileSync(DATA, 'utf8'));
  const feats = data.features;
  const locatedIds = feats.filter((f) => f.geometry).map((f) => String(f.id));
  const { browser, page, log } = await open(PAGE);
  const { m, fc } = await model(page);
  const dayOf = (s) => Math.round(Date.parse(s + 'T00:00:00Z') / 86400000);

  // 1. The count shown is the number of located incidents in the data.
  check((await text(page, '#count-visible')) === String(locatedIds.length), 'count shown = located incidents in the data', await text(page, '#count-visible') + ' vs ' + locatedIds.length);
  check((await text(page, '#count-located')) === String(locatedIds.length), 'located total = located incidents in the data');
  check(fc.features.length === feats.length, 'every incident is embedded');
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'map.png') });

  // 2. Clicking an incident opens its panel with its title and every claim.
  const pick = feats.findIndex((f) => f.geometry && JSON.parse(f.properties.claims_json || '[]').length >= 3) >= 0
    ? feats.findIndex((f) => f.geometry && JSON.parse(f.properties.claims_json || '[]').length >= 3)
    : feats.findIndex((f) => f.geometry);
  const want = feats[pick].properties;
  const claims = JSON.parse(want.claims_json || '[]');
  await go(page, hashAt(m, pick, 25));
  await page.locator('g.inc[data-i="' + pick + '"]').click();
  await settle(page);
  check((await text(page, '#detail-title')) === want.title, 'the clicked incident\'s panel has its title', await text(page, '#detail-title'));
  const cards = page.locator('#detail-claims li.claim');
  check((await cards.count()) === claims.length, 'the panel lists every claim (' + claims.length + ')', await cards.count());
  const claimants = await page.locator('#detail-claims .claimant').allTextContents();
  check(JSON.stringify(claimants) === JSON.stringify(claims.map((c) => c.claimant)), 'each claim shows its claimant, in order', JSON.stringify(claimants));
  const links = await page.locator('#detail-sources a').evaluateAll((as) => as.map((a) => [a.href, a.rel, a.target]));
  check(links.length > 0 && links.every(([h, rel, t]) => /^https?:/.test(h) && rel === 'noopener noreferrer' && t === '_blank'), 'source links are http(s), noopener noreferrer, new tab', JSON.stringify(links));
  check(/sel=/.test(await page.evaluate(() => location.hash)), 'the selection is in the URL hash');
  await page.screenshot({ path: path.join(SHOTS, 'detail.png') });

  // 3. The time slider changes the visible count to the expected number.
  const first = m.days[0];
  const located = fc.features.map((f, i) => i).filter((i) => m.incidents[i].xy);
  const at = '2022-09-14';
  const t = dayOf(at);
  const cumulative = located.filter((i) => m.incidents[i].sd <= t).length;
  await page.locator('#time').fill(String(t - first));
  await settle(page);
  check((await text(page, '#count-visible')) === String(cumulative), 'time slider at ' + at + ': ' + cumulative + ' incidents (cumulative)', await text(page, '#count-visible'));
  await page.locator('#mode').selectOption('7');
  await settle(page);
  const week = located.filter((i) => m.incidents[i].sd <= t && m.incidents[i].ed >= t - 6).length;
  check((await text(page, '#count-visible')) === String(week), '7-day window ending ' + at + ': ' + week + ' incidents', await text(page, '#count-visible'));
  await page.locator('#mode').selectOption('cum');
  await page.locator('#time').focus();
  await page.keyboard.press('Home');
  await settle(page);
  const atFirst = located.filter((i) => m.incidents[i].sd <= first).length;
  check((await text(page, '#count-visible')) === String(atFirst), 'slider at the first day (keyboard Home): ' + atFirst, await text(page, '#count-visible'));
  await page.keyboard.press('End');
  await settle(page);
  check((await text(page, '#count-visible')) === String(locatedIds.length), 'slider back at the last day: all incidents');
  await page.locator('#play').click();
  await page.waitForTimeout(400);
  const playing = Number(await text(page, '#count-visible'));
  check(playing < locatedIds.length, 'play restarts from the first day and steps through time', playing);
  await page.locator('#play').click();
  const paused = await text(page, '#time-label');
  await page.waitForTimeout(300);
  check((await text(page, '#time-label')) === paused, 'pressing it again pauses');
  await page.keyboard.press('End');
  await page.locator('#time').focus();
  await page.keyboard.press('End');
  await settle(page);
  const bars = await page.locator('#histogram rect.bar').count();
  const days = new Set(located.map((i) => m.incidents[i].sd)).size;
  check(bars === days, 'the histogram has one bar per day with incidents (' + days + ')', bars);

  // 4. The disputed overlay: toggle, and statuses recomputed for a chosen date.
  await page.locator('#back').click();
  check(await page.locator('#disputed').isVisible(), 'the disputed overlay is shown at first');
  await page.locator('#toggle-disputed').click();
  await settle(page);
  check(await page.locator('#disputed').isHidden(), 'the toggle hides the overlay');
  check(/disputed=0/.test(await page.evaluate(() => location.hash)), 'the hidden overlay is in the URL hash');
  await page.locator('#toggle-disputed').click();
  await settle(page);
  check(await page.locator('#disputed').isVisible(), 'the toggle shows it again');
  await page.locator('#asof-follow').uncheck();
  const status = (id) => page.locator('#disputed g.section[data-section="' + id + '"]').getAttribute('data-status');
  const vorukh = m.sections.find((s) => s.id === 'vorukh-perimeter');
  if (vorukh) {
    await page.locator('#asof').fill('2022-09-16');
    await settle(page);
    check((await status('vorukh-perimeter')) === 'disputed', 'Vorukh perimeter: disputed on 16 Sep 2022', await status('vorukh-perimeter'));
    await page.locator('#asof').fill('2025-06-01');
    await settle(page);
    check((await status('vorukh-perimeter')) === 'agreed', 'Vorukh perimeter: agreed on 1 Jun 2025', await status('vorukh-perimeter'));
  }
  await page.locator('#asof-follow').check();
  await settle(page);

  // 5. The search box finds a place by its Cyrillic and Latin names, and lists incidents near it.
  for (const q of ['Ворух', 'Vorukh', 'ворух', 'VORUKH']) {
    await page.locator('#search').fill(q);
    await page.waitForTimeout(250);
    const first = await page.locator('#search-results li').first().textContent();
    check(/Vorukh/.test(first), 'search "' + q + '" finds Vorukh', first);
  }
  await page.locator('#search').press('Enter');
  await settle(page);
  const heading = await text(page, '#detail-title');
  check(/Vorukh/.test(heading) && /≈/.test(heading), 'the place panel lists incidents near Vorukh, distances marked ≈', heading);
  check((await page.locator('#list-results li').count()) > 0, 'incidents near Vorukh are listed');
  check(await page.locator('#pin .pin').isVisible(), 'the place is pinned on the map');

  // 6. Pan and zoom: buttons, keyboard, wheel, drag; the scale bar follows.
  await page.locator('#back').click();
  const mpp = async () => Number(await page.locator('#mapwrap').getAttribute('data-mpp'));
  const z0 = await mpp();
  await page.locator('#map').focus();
  await page.keyboard.press('+');
  await settle(page);
  const z1 = await mpp();
  check(Math.abs(z0 / z1 - 1.5) < 0.01, 'keyboard + zooms in by 1.5', z0 + ' → ' + z1);
  await page.keyboard.press('-');
  await settle(page);
  check(Math.abs((await mpp()) - z0) / z0 < 1e-6, 'keyboard − zooms back out');
  const c0 = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('c'));
  await page.keyboard.press('ArrowRight');
  await settle(page);
  const c1 = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('c'));
  check(c0 !== c1 && Number(c1.split(',')[0]) > Number(c0.split(',')[0]), 'ArrowRight pans east', c0 + ' → ' + c1);
  const box = await page.locator('#mapwrap').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -500);
  await settle(page);
  check((await mpp()) < z0 * 0.8, 'the mouse wheel zooms in', await mpp());
  await page.mouse.move(box.x + 300, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 420, box.y + 360, { steps: 6 });
  await page.mouse.up();
  await settle(page);
  const c2 = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('c'));
  check(c2 !== c1, 'dragging pans the map');
  // A two-finger pinch (touch pointer events): spreading the fingers to twice their distance
  // halves the metres per pixel.
  const zPinch = await mpp();
  await page.evaluate(() => {
    const map = document.getElementById('map');
    const r = map.getBoundingClientRect();
    const ev = (type, id, x) => map.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 11, clientX: r.left + x, clientY: r.top + 300, bubbles: true, cancelable: true, button: 0 }));
    ev('pointerdown', 11, 400);
    ev('pointerdown', 12, 500);
    for (let k = 1; k <= 10; k++) ev('pointermove', 12, 500 + 10 * k);
    ev('pointerup', 12, 600);
    ev('pointerup', 11, 400);
  });
  await settle(page);
  check(Math.abs(zPinch / (await mpp()) - 2) < 0.01, 'a pinch zooms (touch pointer events)', zPinch + ' → ' + (await mpp()));

  // 7. The scale bar is true at the centre: the page's scale factor there equals the one
  //    measured geodesically by bordermap.
  const w = m.world;
  await go(page, '#c=' + Math.round(w.e0 + (w.w / 2) * w.unit_m) + ',' + Math.round(w.n0 - (w.h / 2) * w.unit_m) + '&m=100');
  const k = Number(await page.locator('#mapwrap').getAttribute('data-k'));
  check(Math.abs(k - w.k_measured) < 2e-6, 'scale factor at the centre matches the geodesic measurement', k + ' vs ' + w.k_measured);
  const label = await text(page, '#scalebar-label');
  const barPx = (await page.locator('#scalebar-bar').boundingBox()).width;
  const labelM = /km/.test(label) ? parseFloat(label) * 1000 : parseFloat(label);
  check(Math.abs((barPx * (await mpp())) / labelM - 1) < 0.02, 'the scale bar length matches its label', label + ' = ' + barPx + ' px');

  // 8. A shared URL restores the view, the filters and the time.
  const types = m.types.map((t) => t.key).filter((key) => m.incidents.some((v) => v.t === key));
  await page.locator('#filter-types input[value="' + types[0] + '"]').uncheck();
  await page.locator('#time').fill(String(t - first));
  await settle(page);
  await page.waitForTimeout(300);
  const shared = await page.evaluate(() => location.hash);
  const countThere = await text(page, '#count-visible');
  const timeThere = await text(page, '#time-label');
  const mppThere = await mpp();
  const again = await open(PAGE, { hash: shared });
  check((await text(again.page, '#count-visible')) === countThere, 'a shared URL restores the filters and time (count ' + countThere + ')', await text(again.page, '#count-visible'));
  check((await text(again.page, '#time-label')) === timeThere, 'a shared URL restores the date', await text(again.page, '#time-label'));
  const mppAgain = Number(await again.page.locator('#mapwrap').getAttribute('data-mpp'));
  check(Math.abs(mppAgain / mppThere - 1) < 0.002, 'a shared URL restores the zoom', mppThere + ' vs ' + mppAgain);
  check(!(await again.page.locator('#filter-types input[value="' + types[0] + '"]').isChecked()), 'a shared URL restores the type filter');
  check(again.log.errors.length === 0, 'no console error on the shared view', again.log.errors.join(' | '));
  check(again.log.requests.length === 0, 'no request on the shared view', again.log.requests.join(' '));
  await again.browser.close();

  // 9. The language switch: RU writes the legend, the filters and the place labels in
  // Russian and keeps the choice in the URL; EN brings the English back.
  await page.locator('#lang-switch button[value="ru"]').click();
  await settle(page);
  const legendRu = (await page.locator('#legend').textContent()) || '';
  check(/[\u0400-\u04FF]/.test(legendRu) && !/Base map/.test(legendRu), 'RU: the legend is in Russian', legendRu.slice(0, 80));
  check((await page.locator('#legend-title').textContent()) === m.words.ru.legend, 'RU: the legend heading is in Russian');
  check((await page.locator('html').getAttribute('lang')) === 'ru', 'RU: the page says lang="ru"');
  const labelsRu = await page.locator('#labels text').allTextContents();
  check(labelsRu.some((t) => /[\u0400-\u04FF]/.test(t)), 'RU: place labels in Cyrillic', labelsRu.slice(0, 5).join(', '));
  check(/lang=ru/.test(await page.evaluate(() => location.hash)), 'RU: the language is in the URL hash');
  await page.locator('#lang-switch button[value="en"]').click();
  await settle(page);
  check(/Base map/.test((await page.locator('#legend').textContent()) || ''), 'EN: the legend is back in English');
  check((await page.locator('html').getAttribute('lang')) === 'en', 'EN: the page says lang="en"');

  // 10. No console error, no request but the page itself.
  check(log.errors.length === 0, 'no console error', log.errors.join(' | '));
  check(log.requests.length === 0, 'no request other than the page file', log.requests.join(' '));
  await browser.close();
}

async function docsScreenshot() {
  if (!DOCS) return;
  const data = JSON.parse(fs.readFileSync(DATA, 'utf8'));
  const pick = data.features.findIndex((f) => String(f.id) === 'kgtj-2022-01-27-tort-kocho');
  const { browser, page, log } = await open(PAGE, { viewport: { width: 1440, height: 900 } });
  const { m } = await model(page);
  const i = pick >= 0 ? pick : data.features.findIndex((f) => f.geometry);
  // The September 2022 escalation zone: Isfara, Batken, Vorukh and Ak-Sai in view.
  const named = (n, k) => m.places.find((p) => p.n === n && p.k === k);
  const zone = [named('Vorukh', 'village'), named('Batken', 'town'), named('Isfara', 'town'), named('Ak-Say', 'village')].filter(Boolean);
  const w = m.world;
  if (zone.length) {
    const x = zone.reduce((t, p) => t + p.xy[0], 0) / zone.length;
    const y = zone.reduce((t, p) => t + p.xy[1], 0) / zone.length;
    await go(page, '#c=' + Math.round(w.e0 + x * w.unit_m) + ',' + Math.round(w.n0 - y * w.unit_m) + '&m=58');
  } else {
    await go(page, hashAt(m, i, 58));
  }
  await page.locator('g.inc[data-i="' + i + '"]').click();
  await page.waitForTimeout(600);
  fs.mkdirSync(path.dirname(DOCS), { recursive: true });
  await page.screenshot({ path: DOCS });
  await page.screenshot({ path: path.join(SHOTS, 'readme.png') });
  check(log.errors.length === 0 && log.requests.length === 0, 'README screenshot: no console error, no request');
  await browser.close();
}

async function hostile() {
  console.log('hostile page: ' + path.relative(root, HOSTILE));
  if (!fs.existsSync(HOSTILE)) {
    check(false, 'the hostile page exists (build it with bordermap html --input tests/browser/fixtures/hostile.geojson)', HOSTILE);
    return;
  }
  // Anything the data could make run would call one of these, or set the flag.
  const init = () => {
    window.__ran = [];
    for (const f of ['alert', 'confirm', 'prompt', 'print']) {
      window[f] = (...a) => {
        window.__ran.push(f + '(' + a.join(',') + ')');
      };
    }
  };
  const { browser, page, log } = await open(HOSTILE, { init });
  const { m, fc } = await model(page);
  check((await page.title()) === HOSTILE_TITLE, 'the hostile title is shown as text', await page.title());
  // Open every incident's panel (drawn or not), hover the markers, open "All properties" and,
  // where the incident has a fatality rule, its summary.
  let panelOpen = false;
  for (let i = 0; i < fc.features.length; i++) {
    if (m.incidents[i].xy) {
      await go(page, hashAt(m, i, 30));
      const marker = page.locator('g.inc[data-i="' + i + '"]');
      await marker.hover();
      await marker.click();
    } else {
      // The "Not on the map" list is in the overview; an open panel has a back button to it.
      if (panelOpen) await page.locator('#back').click();
      const k = m.incidents.slice(0, i).filter((v) => !v.xy).length;
      await page.locator('#not-drawn button').nth(k).click();
    }
    panelOpen = true;
    await settle(page);
    check((await text(page, '#detail-title')) === (fc.features[i].properties.title || fc.features[i].id), 'hostile incident ' + i + ': its title shown as text');
    await page.locator('#detail details.allprops summary').click();
    const rule = page.locator('#detail details.rule summary');
    if (fc.features[i].properties.fatality_rule) {
      await rule.click();
    } else {
      check((await rule.count()) === 0, 'hostile incident ' + i + ': no fatality-rule summary without a rule', await rule.count());
    }
  }
  await go(page, hashAt(m, 0, 30));
  await page.locator('g.inc[data-i="0"]').click();
  await settle(page);
  const notLinks = await page.locator('#detail .not-a-link').allTextContents();
  check(notLinks.includes('javascript:alert(1)'), 'javascript: source URL shown as text, not a link', JSON.stringify(notLinks));
  const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.rel, a.target]));
  check(hrefs.length > 0 && hrefs.every(([h, rel, t]) => /^https?:\/\//.test(h) && rel === 'noopener noreferrer' && t === '_blank'), 'only http(s) links, all noopener noreferrer', JSON.stringify(hrefs));
  const claimants = await page.locator('#detail-claims .claimant').allTextContents();
  check(claimants.includes('<img src=x onerror=alert(1)>'), 'a payload claimant is shown as text', JSON.stringify(claimants));
  await page.locator('#search').fill('<img src=x onerror=alert(1)>');
  await page.waitForTimeout(250);
  await page.waitForTimeout(800);
  const dom = await page.evaluate(() => ({
    ran: window.__ran,
    img: document.querySelectorAll('img, iframe, object, embed, image, foreignObject').length,
    scripts: document.scripts.length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => e.tagName + '@' + a.name)),
    jsUrls: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^\s*(javascript|data|vbscript):/i.test(a.value)).map((a) => e.tagName + '@' + a.name))
  }));
  check(dom.ran.length === 0, 'nothing from the data executed', JSON.stringify(dom.ran));
  check(dom.img === 0, 'no <img>, <iframe>, <object> or <foreignObject> was created', dom.img);
  check(dom.scripts === 3, 'no <script> was created (the page has its own three)', dom.scripts);
  check(dom.handlers.length === 0, 'no inline event handler attribute exists', JSON.stringify(dom.handlers));
  check(dom.jsUrls.length === 0, 'no attribute holds a javascript:, data: or vbscript: URL', JSON.stringify(dom.jsUrls));
  check(log.errors.length === 0, 'hostile page: no console error', log.errors.join(' | '));
  check(log.requests.length === 0, 'hostile page: no request other than the page file', log.requests.join(' '));
  await page.screenshot({ path: path.join(SHOTS, 'hostile.png') });
  await browser.close();
}

try {
  await shipped();
  await hostile();
  await docsScreenshot();
} catch (e) {
  failures.push('the check itself failed: ' + (e && e.stack ? e.stack : e));
  console.log(e);
}
console.log('\n' + passed + ' passed, ' + failures.length + ' failed');
if (failures.length) {
  for (const f of failures) console.log('  - ' + f);
  process.exit(1);
}
