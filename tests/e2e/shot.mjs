// Ad-hoc screenshots while developing: node tests/e2e/shot.mjs BASE EMAIL PASSWORD path...
import { chromium } from 'playwright-core';
const [base, email, password, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const width = Number(process.env.WIDTH || 1280);
const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: process.env.SCHEME || 'light' });
page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
await page.goto(base + '/login');
await page.fill('#f-email', email);
await page.fill('#f-password', password);
await page.click('main button[type=submit]');
for (const p of paths) {
  await page.goto(base + p);
  await page.waitForTimeout(300);
  const name = p.replace(/[^a-z0-9]+/gi, '_');
  await page.screenshot({ path: `/tmp/shots/${name}-${width}.png`, fullPage: true });
  console.log('shot', p);
}
await browser.close();
