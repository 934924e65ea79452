// Browser journeys of Respire: Debian's Chromium driven by playwright-core.
// Each journey is a test; every page visited is checked with axe-core
// (WCAG 2.1 A/AA), for console errors and failed requests, at phone and
// desktop widths, light and dark. Screenshots go to test-results/.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bin = process.env.RESPIRE_BIN || join(root, 'build', 'respire');
const shots = join(root, 'test-results', 'e2e');
const axeSource = readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const PASSWORD = 'respire-demo-2026';

mkdirSync(shots, { recursive: true });

// ---- the server -----------------------------------------------------------

async function startServer() {
  const data = mkdtempSync(join(tmpdir(), 'respire-e2e-'));
  execFileSync(bin, ['demo', '--data', data], { stdio: 'ignore' });
  const proc = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RESPIRE_LOG_LEVEL: 'warn' },
  });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start: ' + log)), 10000);
    proc.stdout.on('data', (d) => {
      const m = /listening on (http:\/\/\S+)/.exec(String(d));
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
  });
  return { base, data, proc, log: () => log };
}

// The newest mail to an address, and the first link in it.
function mailLink(data, to) {
  const dir = join(data, 'outbox');
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse();
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    if (text.includes(`To: <${to}>`)) {
      const m = /(http:\/\/\S+)/.exec(text);
      if (m) return m[1];
    }
  }
  throw new Error(`no mail with a link to ${to}`);
}

// ---- checks on every page ------------------------------------------------------

class Checker {
  constructor() { this.problems = []; }
  watch(page, who) {
    page.on('console', (m) => {
      // A 404 page says so to the console by design; the status is checked where expected.
      if (m.type() === 'error' && !/status of 404/.test(m.text())) this.problems.push(`${who}: console error: ${m.text()} at ${page.url()}`);
    });
    page.on('requestfailed', (r) => {
      // Leaving a page cancels its live stream and pending loads: not a failure.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') this.problems.push(`${who}: request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'document' && r.status() >= 400) this.problems.push(`${who}: ${r.status()} for ${r.url()}`);
    });
    page.on('pageerror', (e) => this.problems.push(`${who}: page error: ${e.message}`));
  }
  async page(page, name) {
    // No inline script: every <script> has a src (the CSP forbids the rest anyway).
    const inline = await page.evaluate(() => [...document.scripts].filter((s) => !s.src).length);
    if (inline) this.problems.push(`${name}: ${inline} inline script(s)`);
    // Nothing wider than the viewport.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) this.problems.push(`${name}: horizontal overflow of ${overflow}px`);
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
      this.problems.push(`${name}: axe ${v.id} (${v.impact}): ${v.help} — ${where}`);
    }
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }
  assert(cond, message) { if (!cond) this.problems.push(message); }
}

// Clicks what submits a form (or follows a link) and waits for the page it leads to; that
// page must answer `status` (after redirects). Returns the response.
async function submit(page, selector, what, status = 200) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  if (!resp || resp.status() !== status) throw new Error(`${what}: answered ${resp && resp.status()}, not ${status} (${page.url()})`);
  return resp;
}

async function login(page, base, email, password = PASSWORD) {
  await page.goto(base + '/login');
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await submit(page, 'main button[type=submit]', `sign-in of ${email}`);
  if (new URL(page.url()).pathname === '/login') throw new Error(`sign-in of ${email} failed`);
}

// ---- the journeys -------------------------------------------------------------

// 1. A new teacher registers, verifies, completes her profile, finds colleagues by subject
//    and sends contact requests.
async function journeyRegister(browser, srv, lang, c) {
  const fr = lang === 'fr';
  const ctx = await browser.newContext({ locale: fr ? 'fr-FR' : 'en-GB', viewport: { width: 375, height: 800 } });
  const page = await ctx.newPage();
  const email = `${fr ? 'ines' : 'emma'}.roux@ac-versailles.fr`;
  c.watch(page, 'register-' + lang);
  await page.goto(srv.base + '/');
  await c.page(page, `j1-${lang}-landing-phone`);
  await submit(page, 'main a[href="/register"]', `j1-${lang}: the registration page`);
  await c.page(page, `j1-${lang}-register`);
  await page.fill('#f-name', fr ? 'Inès Roux' : 'Emma Roux');
  await page.fill('#f-email', email);
  await page.fill('#f-password', 'une phrase de passe solide');
  await submit(page, 'main button[type=submit]', `j1-${lang}: registration`);
  await c.page(page, `j1-${lang}-register-done`);
  c.assert(await page.locator('h1').textContent() === (fr ? 'Vérifiez votre messagerie' : 'Check your mailbox'),
    `j1-${lang}: no "check your mailbox" page`);
  await page.goto(mailLink(srv.data, email));
  await c.page(page, `j1-${lang}-verify`);
  await submit(page, 'main button[type=submit]', `j1-${lang}: verification`);
  await login(page, srv.base, email, 'une phrase de passe solide');
  await page.goto(srv.base + '/me/edit');
  await page.selectOption('#f-role', 'teacher');
  await page.fill('#f-subjects', fr ? 'Mathématiques' : 'Mathematics');
  await page.fill('#f-levels', fr ? 'Collège' : 'Lower secondary');
  await submit(page, 'form[action="/me/edit"] button[type=submit]', `j1-${lang}: profile`);
  await c.page(page, `j1-${lang}-profile-saved`);
  await page.goto(srv.base + '/users?subject=' + encodeURIComponent('Mathématiques'));
  await c.page(page, `j1-${lang}-directory`);
  const found = await page.locator('main ul.cards h2 a').allTextContents();
  c.assert(found.includes('Claire Martin'), `j1-${lang}: Claire Martin not found by subject (${found})`);
  for (const name of ['Claire Martin', 'Karim Benali']) {
    await page.goto(srv.base + '/users?q=' + encodeURIComponent(name));
    await submit(page, `main a:has-text("${name}")`, `j1-${lang}: ${name}'s profile`);
    await submit(page, 'main form[action$="/request"] button', `j1-${lang}: contact request to ${name}`);
  }
  await page.goto(srv.base + '/contacts');
  await c.page(page, `j1-${lang}-contacts`);
  const sent = await page.locator('main section').nth(2).textContent();
  c.assert(sent.includes('Claire Martin') && sent.includes('Karim Benali'), `j1-${lang}: requests not listed as sent`);
  await ctx.close();
}

// 2. A closed practice group, an invitation by e-mail to someone without an account,
//    registration from the invitation, a discussion, a reply, a "useful" mark.
async function journeyGroup(browser, srv, c) {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  c.watch(page, 'group-owner');
  await login(page, srv.base, 'claire.martin@ac-versailles.fr');
  await page.goto(srv.base + '/groups/new');
  await c.page(page, 'j2-group-new');
  await page.fill('#f-name', 'Différenciation en 6e');
  await page.fill('#f-description', 'Partager nos pratiques de différenciation.');
  await page.selectOption('#f-kind', 'practice');
  await page.selectOption('#f-visibility', 'closed');
  await submit(page, 'main button[type=submit]', 'j2: the new group');
  const groupUrl = page.url();
  await page.fill('#f-invite', 'paul.girard@ac-versailles.fr');
  await submit(page, 'form[action$="/invite"] button', 'j2: invitation by address');
  await c.page(page, 'j2-group-home');

  const ctx2 = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 }, colorScheme: 'dark' });
  const guest = await ctx2.newPage();
  c.watch(guest, 'group-guest');
  await guest.goto(mailLink(srv.data, 'paul.girard@ac-versailles.fr'));
  c.assert(await guest.inputValue('#f-email') === 'paul.girard@ac-versailles.fr', 'j2: the invited address is not pre-filled');
  await guest.fill('#f-name', 'Paul Girard');
  await guest.fill('#f-password', 'mon mot de passe de prof');
  await submit(guest, 'main button[type=submit]', 'j2: registration from the invitation');
  await guest.goto(mailLink(srv.data, 'paul.girard@ac-versailles.fr'));
  await submit(guest, 'main button[type=submit]', 'j2: verification of the invited address');
  await login(guest, srv.base, 'paul.girard@ac-versailles.fr', 'mon mot de passe de prof');
  await guest.goto(groupUrl);
  await c.page(guest, 'j2-guest-group-dark-phone');
  c.assert(await guest.locator('a:has-text("Publier dans le groupe")').count() === 1, 'j2: the invited person is not a member');
  await submit(guest, 'a:has-text("Publier dans le groupe")', 'j2: the post form');
  await guest.fill('#f-title', 'Plans de travail différenciés');
  await guest.fill('#f-body', 'Qui utilise des **plans de travail** en 6e ?');
  await submit(guest, 'main button[type=submit]', 'j2: the new discussion');
  const postUrl = guest.url();

  await page.goto(postUrl);
  await page.fill('#f-reply', 'Oui, avec trois niveaux de difficulté.');
  await submit(page, '#reply-form button[type=submit]', 'j2: the reply');
  await c.page(page, 'j2-discussion');
  await guest.goto(postUrl);
  await submit(guest, 'form[action$="/useful"] button', 'j2: useful mark');
  c.assert((await guest.locator('form[action$="/useful"] button').textContent()).includes('(1)'), 'j2: the useful mark is not counted');
  await c.page(guest, 'j2-guest-discussion');
  await ctx2.close();
  await ctx.close();
  return { postUrl, groupUrl };
}

// 3. A member uploads a lesson sheet (CC BY-SA) and a short film into the group; another
//    member opens them, plays the film and seeks.
async function journeyDocuments(browser, srv, groupUrl, c) {
  const work = mkdtempSync(join(tmpdir(), 'respire-e2e-files-'));
  const film = join(work, 'atelier-fractions.webm');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=6:size=320x240:rate=25',
    '-c:v', 'libvpx', '-b:v', '300k', film]);
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  c.watch(page, 'uploader');
  // The lesson sheet is a real PDF, printed by the browser itself.
  await page.setContent('<h1>Séquence : les fractions</h1><p>Objectifs, déroulé, évaluation.</p>');
  const sheet = join(work, 'sequence-fractions.pdf');
  await page.pdf({ path: sheet, format: 'A4' });
  await login(page, srv.base, 'claire.martin@ac-versailles.fr');
  await page.goto(groupUrl);
  await submit(page, 'main a:has-text("Envoyer des documents")', 'j3: the upload form');
  await c.page(page, 'j3-upload-form');
  await page.setInputFiles('#f-file', sheet);
  await page.fill('#f-title', 'Séquence : les fractions');
  await page.fill('#f-subjects', 'Mathématiques');
  await page.fill('#f-levels', '6e');
  c.assert(await page.inputValue('#f-licence') === 'CC-BY-SA', 'j3: CC BY-SA is not the licence proposed');
  await page.selectOption('#f-licence', 'CC-BY-SA');
  await Promise.all([page.waitForURL(/\/documents\/\d+\?uploaded=1/), page.click('main button[type=submit]')]);
  c.assert(await page.locator('a.licence[href*="by-sa/4.0"]').count() === 1, 'j3: no CC BY-SA badge on the sheet');
  await c.page(page, 'j3-sheet');
  const sheetUrl = page.url().split('?')[0];
  await page.goto(srv.base + '/documents/new?group=' + groupUrl.split('/').pop());
  await page.setInputFiles('#f-file', film);
  await page.fill('#f-title', 'Film de classe : atelier fractions');
  await Promise.all([page.waitForURL(/\/documents\/\d+\?uploaded=1/), page.click('main button[type=submit]')]);
  const filmUrl = page.url().split('?')[0];
  await ctx.close();

  const ctx2 = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 } });
  const other = await ctx2.newPage();
  c.watch(other, 'viewer');
  const ranges = [];
  other.on('response', (r) => { if (r.url().includes('/file?inline=1')) ranges.push(r.status()); });
  await login(other, srv.base, 'paul.girard@ac-versailles.fr', 'mon mot de passe de prof');
  await other.goto(groupUrl + '/documents');
  await c.page(other, 'j3-bank-phone');
  c.assert(await other.locator('main a:has-text("Séquence : les fractions")').count() === 1, 'j3: the sheet is not in the bank (once)');
  await other.goto(sheetUrl);
  await c.page(other, 'j3-sheet-viewer');
  await other.goto(filmUrl);
  const played = await other.evaluate(async () => {
    const v = document.querySelector('video');
    if (!v) return 'no video element';
    v.muted = true;
    await v.play();
    await new Promise((r) => setTimeout(r, 500));
    v.pause();
    const seeked = new Promise((r) => v.addEventListener('seeked', r, { once: true }));
    v.currentTime = 4.5;
    await seeked;
    return `${Math.round(v.duration)} ${v.currentTime.toFixed(1)} ${v.readyState}`;
  });
  const [duration, at, ready] = played.split(' ');
  c.assert(duration === '6', `j3: the film does not play (${played})`);
  c.assert(at === '4.5' && Number(ready) >= 2, `j3: seeking failed (${played})`);
  c.assert(ranges.includes(206), `j3: the film was not fetched by ranges (${ranges.join(',')})`);
  await c.page(other, 'j3-film-phone');
  await ctx2.close();
  rmSync(work, { recursive: true, force: true });
}

// 5. A visitor sees public posts and cannot reach a closed group's content.
async function journeyVisitor(browser, srv, closedPostUrl, c) {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  c.watch(page, 'visitor');
  await page.goto(srv.base + '/groups');
  await c.page(page, 'j5-groups-visitor');
  const listed = await page.locator('main ul.cards h3').allTextContents();
  c.assert(listed.some((t) => t.includes('médias')), 'j5: the open group is not listed to visitors');
  c.assert(!listed.some((t) => t.includes('Différenciation')), 'j5: a closed group is listed to visitors');
  const pub = await page.goto(srv.base + '/posts/2');
  c.assert(pub.status() === 200, `j5: public post answered ${pub.status()}`);
  await c.page(page, 'j5-public-post');
  const hidden = await page.goto(closedPostUrl);
  c.assert(hidden.status() === 404, `j5: closed group's post answered ${hidden.status()} to a visitor`);
  await c.page(page, 'j5-404');
  // Losing the connection says so, in the page's language; coming back hides it.
  await page.goto(srv.base + '/posts/2');
  c.assert(await page.locator('#offline').isHidden(), 'j5: the offline notice shows while online');
  await ctx.setOffline(true);
  await page.waitForSelector('#offline', { state: 'visible', timeout: 5000 });
  c.assert((await page.locator('#offline').textContent()).includes('hors ligne'), 'j5: the offline notice is not in French');
  await page.screenshot({ path: join(shots, 'j5-offline.png') });
  await ctx.setOffline(false);
  await page.waitForSelector('#offline', { state: 'hidden', timeout: 5000 });
  // A visitor's search finds the public post and never the closed group's one.
  await page.goto(srv.base + '/search?q=vérifier');
  await c.page(page, 'j5-search-visitor');
  c.assert(await page.locator('ol.results li').count() > 0, 'j5: a visitor finds no public content');
  c.assert(await page.locator('text=Différenciation').count() === 0, 'j5: a visitor\'s search shows the closed group');
  await ctx.close();
}

// Keyboard only: the skip link comes first and is visible when focused, it leads to the
// main content; the header's search box is reached with Tab and searches with Enter;
// focus is always visible.
async function journeyKeyboard(browser, srv, c) {
  const ctx = await browser.newContext({ locale: 'en-GB', viewport: { width: 375, height: 800 } });
  const page = await ctx.newPage();
  c.watch(page, 'keyboard');
  await login(page, srv.base, 'claire.martin@ac-versailles.fr');
  await submit(page, 'footer button[name=lang]', 'keyboard: the language switch'); // English, by choice
  await page.goto(srv.base + '/');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({ cls: document.activeElement.className, text: document.activeElement.textContent,
    left: document.activeElement.getBoundingClientRect().left }));
  c.assert(first.cls === 'skip' && first.left >= 0, `keyboard: the first Tab stop is not a visible skip link (${JSON.stringify(first)})`);
  await page.screenshot({ path: join(shots, 'kb-skip-link.png') });
  await page.keyboard.press('Enter');
  c.assert(await page.evaluate(() => document.activeElement.id) === 'main', 'keyboard: the skip link does not lead to the main content');
  await page.goto(srv.base + '/');
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement.id === 'site-q');
  }
  c.assert(reached, 'keyboard: the search box is not among the first Tab stops');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  c.assert(ring !== 'none', 'keyboard: no visible focus on the search box');
  await page.keyboard.type('fractions');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  c.assert(page.url().includes('/search?q=fractions'), `keyboard: Enter in the search box went to ${page.url()}`);
  await c.page(page, 'kb-search-en-phone');
  c.assert((await page.locator('h1').textContent()) === 'Search', 'keyboard: the search page is not in English');
  await ctx.close();
}

// 6. A member reports a reply; a moderator hides it; it disappears for others.
// 4. Two members chat live in the group's room; the unread count updates in the other's
//    header without reloading; the search box finds the group's discussion.
async function journeyChat(browser, srv, groupUrl, c) {
  const actx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const anne = await actx.newPage();
  c.watch(anne, 'chat-claire');
  await login(anne, srv.base, 'claire.martin@ac-versailles.fr');
  await anne.goto(groupUrl);
  await submit(anne, 'a:has-text("Salon du groupe")', 'j4: the room of the group');
  const roomUrl = anne.url();
  c.assert(/\/rooms\/\d+$/.test(roomUrl), `j4: the group's room link went to ${roomUrl}`);

  const pctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 }, colorScheme: 'dark' });
  const paul = await pctx.newPage();
  c.watch(paul, 'chat-paul');
  await login(paul, srv.base, 'paul.girard@ac-versailles.fr', 'mon mot de passe de prof');
  await paul.goto(srv.base + '/');
  const badge = paul.locator('a[href="/messages"] .badge');
  c.assert(await badge.count() === 0, 'j4: an unread count before any message');
  await paul.waitForTimeout(500); // the header's live stream is open

  await anne.fill('#m-body', 'Bonjour Paul, on prépare la séance de **jeudi** ?');
  await anne.click('#chat-form button[type=submit]');
  await anne.waitForSelector('#messages li.msg:has-text("jeudi")', { timeout: 5000 });
  c.assert(await anne.inputValue('#m-body') === '', 'j4: the message box is not emptied after sending');
  await c.page(anne, 'j4-room-claire');
  const appeared = await badge.waitFor({ timeout: 5000 }).then(() => true, () => false);
  c.assert(appeared && (await badge.count()) === 1 && (await badge.textContent()).startsWith('1'),
    'j4: the unread count did not appear live in the other member\'s header');
  await c.page(paul, 'j4-header-unread-dark-phone');

  await paul.goto(roomUrl);
  c.assert(await paul.locator('#messages li.msg strong:has-text("jeudi")').count() === 1, 'j4: the message is not in the room');
  await paul.fill('#m-body', 'Oui, je m’occupe des fiches.');
  await paul.click('#chat-form button[type=submit]');
  const answered = await anne.waitForSelector('#messages li.msg:has-text("je m’occupe des fiches")', { timeout: 5000 })
    .then(() => true, () => false);
  c.assert(answered, 'j4: the answer did not appear live in the room');
  c.assert(await anne.locator('#online li:has-text("Paul Girard")').count() === 1, 'j4: Paul is not shown online');
  await c.page(paul, 'j4-room-paul-dark-phone');
  await c.page(anne, 'j4-room-live');
  await paul.goto(srv.base + '/');
  c.assert(await paul.locator('a[href="/messages"] .badge').count() === 0, 'j4: messages read are still counted');

  // the header's search box
  await anne.fill('#site-q', 'plans de travail');
  await Promise.all([anne.waitForNavigation(), anne.press('#site-q', 'Enter')]);
  c.assert(await anne.locator('ol.results a:has-text("Plans de travail différenciés")').count() === 1,
    'j4: the search does not find the group\'s discussion');
  await c.page(anne, 'j4-search');
  await pctx.close();
  await actx.close();
}

async function journeyModeration(browser, srv, postUrl, c) {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  c.watch(page, 'reporter');
  await login(page, srv.base, 'paul.girard@ac-versailles.fr', 'mon mot de passe de prof');
  await page.goto(postUrl);
  await page.click('.reply details summary');
  await page.fill('.reply details input[name=reason]', 'Hors sujet');
  await submit(page, '.reply details button[type=submit]', 'j6: the report');
  await ctx.close();

  const mctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const mod = await mctx.newPage();
  c.watch(mod, 'moderator');
  await login(mod, srv.base, 'claire.martin@ac-versailles.fr');
  await mod.goto(srv.base + '/moderation');
  await c.page(mod, 'j6-queue');
  c.assert(await mod.locator('main li:has-text("Hors sujet")').count() === 1, 'j6: the report is not in the queue');
  await submit(mod, 'main li:has-text("Hors sujet") form[action$="/hide"] button', 'j6: hiding the reply');
  c.assert(await mod.locator('main li:has-text("Hors sujet")').count() === 0, 'j6: the report is still in the queue');
  await mctx.close();

  const octx = await browser.newContext({ locale: 'fr-FR' });
  const other = await octx.newPage();
  c.watch(other, 'other');
  await login(other, srv.base, 'paul.girard@ac-versailles.fr', 'mon mot de passe de prof');
  const shown = await other.goto(postUrl);
  c.assert(shown.status() === 200 && await other.locator('h1').count() === 1, `j6: the post answered ${shown.status()}`);
  c.assert(await other.locator('.reply').count() === 0, 'j6: the hidden reply is still shown to others');
  await c.page(other, 'j6-after-hiding');
  await octx.close();
}

// ---- the runner -----------------------------------------------------------------

// 7. Paul asks for a mail at once about replies (settings page), Claire replies, the mail
//    comes; from the mail's unsubscribe link, without a session, he stops those mails.
async function journeyMail(browser, srv, postUrl, c) {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 } });
  const page = await ctx.newPage();
  c.watch(page, 'mail-paul');
  await login(page, srv.base, 'paul.girard@ac-versailles.fr', 'mon mot de passe de prof');
  await page.goto(srv.base + '/notifications');
  await submit(page, 'main a[href="/me/notification-settings"]', 'j7: the settings page');
  await c.page(page, 'j7-settings-phone');
  await page.check('input[name="reply"][value="mail"]');
  await submit(page, 'main button[type=submit]', 'j7: the settings saved');
  await c.page(page, 'j7-settings-saved');
  c.assert(await page.isChecked('input[name="reply"][value="mail"]'), 'j7: the setting was not saved');
  const ctx2 = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const claire = await ctx2.newPage();
  c.watch(claire, 'mail-claire');
  await login(claire, srv.base, 'claire.martin@ac-versailles.fr');
  await claire.goto(postUrl);
  await claire.fill('#f-reply', 'Je vous envoie mes plans de travail.');
  await submit(claire, '#reply-form button[type=submit]', 'j7: the reply by Claire');
  await ctx2.close();
  const dir = join(srv.data, 'outbox');
  const text = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse()
    .map((f) => readFileSync(join(dir, f), 'utf8')).find((t) => t.includes('To: <paul.girard@ac-versailles.fr>'));
  c.assert(text && text.includes('Claire Martin a'), 'j7: no reply mail for Paul');
  const unsub = /(http:\/\/[^\s>]+\/unsubscribe\?[^\s>]+)/.exec(text || '');
  c.assert(unsub, 'j7: no unsubscribe link in the mail');
  await ctx.close();
  if (!unsub) return;
  const ctx3 = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 } });
  const visitor = await ctx3.newPage();
  c.watch(visitor, 'mail-unsubscribe');
  await visitor.goto(unsub[1]);
  await c.page(visitor, 'j7-unsubscribe');
  await submit(visitor, 'main button[type=submit]', 'j7: the unsubscription');
  await c.page(visitor, 'j7-unsubscribed');
  c.assert((await visitor.locator('h1').textContent()) === 'C’est fait', 'j7: no confirmation');
  await ctx3.close();
}

// 8. Events (issue 20): the agenda by month; Claire leaves the full workshop and Marc, first on
//    the waiting list, is promoted and told; Claire creates an event; a visitor reads the public
//    agenda; the organiser reads the registrations on a phone.
async function journeyEvents(browser, srv, c) {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  c.watch(page, 'events-member');
  await login(page, srv.base, 'claire.martin@ac-versailles.fr');
  await page.goto(srv.base + '/events');
  await c.page(page, 'j8-agenda');
  await submit(page, 'a:has-text("Atelier : évaluer par compétences")', 'j8: the workshop');
  await c.page(page, 'j8-event-registered');
  await submit(page, 'form[action$="/cancel"] button', 'j8: cancel');
  c.assert(await page.locator('text=Inscription annulée').count() === 1, 'j8: no notice of the cancellation');
  c.assert(await page.locator('form[action$="/register"] button').count() === 1, 'j8: no button to register again');
  await page.goto(srv.base + '/events/new');
  await c.page(page, 'j8-event-new');
  await page.fill('#f-title', 'Café pédagogique');
  await page.fill('#f-description', 'On parle **évaluation**.');
  await page.fill('#f-starts', '2031-06-12T17:30');
  await page.fill('#f-ends', '2031-06-12T19:00');
  await page.fill('#f-place', 'Salle des professeurs');
  await page.fill('#f-capacity', '12');
  await submit(page, 'main button[type=submit]', 'j8: the new event');
  c.assert((await page.locator('h1').textContent()).includes('Café pédagogique'), 'j8: the new event is not shown');
  await c.page(page, 'j8-event-organiser');

  const ctx2 = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 }, colorScheme: 'dark' });
  const marc = await ctx2.newPage();
  c.watch(marc, 'events-promoted');
  await login(marc, srv.base, 'marc.petit@ac-nantes.fr');
  await marc.goto(srv.base + '/notifications');
  c.assert(await marc.locator('text=liste d\'attente').count() > 0, 'j8: the promoted member is not told');
  await submit(marc, 'a:has-text("Atelier : évaluer par compétences")', 'j8: the notification leads to the event');
  c.assert(await marc.locator('text=Vous êtes inscrit·e.').count() === 1, 'j8: the promoted member is not registered');
  await c.page(marc, 'j8-event-promoted-dark-phone');
  await marc.goto(srv.base + '/events/3');
  await c.page(marc, 'j8-event-organiser-phone');
  await ctx2.close();

  const ctx3 = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const visitor = await ctx3.newPage();
  c.watch(visitor, 'events-visitor');
  await visitor.goto(srv.base + '/events');
  await c.page(visitor, 'j8-agenda-visitor-en');
  c.assert(await visitor.locator('text=Atelier : évaluer').count() === 0, 'j8: a members\' event is shown to a visitor');
  await ctx3.close();
  await ctx.close();
}

const results = [];
async function run(name, fn) {
  const c = new Checker();
  try {
    await fn(c);
  } catch (e) {
    c.problems.push(`exception: ${e.stack || e}`);
  }
  results.push({ name, problems: c.problems });
  console.log(`${c.problems.length ? 'FAIL' : 'ok'} - e2e::${name}`);
  for (const p of c.problems) console.log('    ' + p);
}

const srv = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let postUrl = null, groupUrl = null;
try {
  await run('journey1_register_fr', (c) => journeyRegister(browser, srv, 'fr', c));
  await run('journey1_register_en', (c) => journeyRegister(browser, srv, 'en', c));
  await run('journey2_group_invitation_discussion', async (c) => { ({ postUrl, groupUrl } = await journeyGroup(browser, srv, c)); });
  await run('journey3_documents_and_film', (c) => journeyDocuments(browser, srv, groupUrl || srv.base + '/groups/1', c));
  await run('journey4_chat_live', (c) => journeyChat(browser, srv, groupUrl || srv.base + '/groups/1', c));
  await run('journey5_visitor', (c) => journeyVisitor(browser, srv, postUrl || srv.base + '/posts/1', c));
  await run('journey6_moderation', (c) => journeyModeration(browser, srv, postUrl || srv.base + '/posts/1', c));
  await run('journey7_mail_settings_and_unsubscribe', (c) => journeyMail(browser, srv, postUrl || srv.base + '/posts/1', c));
  await run('journey8_events', (c) => journeyEvents(browser, srv, c));
  await run('keyboard_only', (c) => journeyKeyboard(browser, srv, c));
} finally {
  await browser.close();
  srv.proc.kill('SIGTERM');
  await new Promise((r) => srv.proc.on('exit', r));
  rmSync(srv.data, { recursive: true, force: true });
}
const failed = results.filter((r) => r.problems.length).length;
console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
