// Generates bars.csv (deterministic synthetic minute bars) and expected.csv (TA-Lib's ADX, PLUS_DI,
// MINUS_DI, DX and ATR over them, period 14). Run: npm install && node generate.mjs
// Reference: TA-Lib C sources compiled to WebAssembly, npm talib-web@0.1.3 (pinned in package.json).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as talib from "talib-web";

const require = createRequire(import.meta.url);
const wasm = require.resolve("talib-web/lib/talib.wasm");
// Node has fetch(), which the Emscripten loader would try on a file path: make it read the file instead.
globalThis.fetch = undefined;
await talib.init(wasm);

// Deterministic LCG so the bars never change; prices in 0.1 ticks as exact decimal strings.
let seed = 20251214;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const tick = (n) => (n / 10).toFixed(1);
const rows = [];
let close = 650000; // in ticks
for (let i = 0; i < 800; i++) {
  const flat = i >= 200 && i < 740; // a long quiet stretch: TR decays to TA-Lib's zero
  let o, h, l, c;
  if (flat) {
    o = h = l = c = close;
  } else {
    o = close;
    c = o + Math.round((rnd() - 0.5) * 200);
    h = Math.max(o, c) + Math.round(rnd() * 60);
    l = Math.min(o, c) - Math.round(rnd() * 60);
    if (i % 37 === 5) { h = rows[i - 1].h; l = rows[i - 1].l; } // equal highs/lows: DM ties
    close = c;
  }
  rows.push({ o, h, l, c });
}

const high = rows.map((r) => r.h / 10), low = rows.map((r) => r.l / 10), cls = rows.map((r) => r.c / 10);
const period = 14;
// talib-web 0.1.3 allocates endIdx-startIdx slots per input (so endIdx = n-1 would lose the last
// bar) and drops outBegIdx/outNbElement: pass endIdx = n (the extra bar n reads past the inputs and
// its output is discarded; bars 0..n-1 are computed before it) and place the outputs with TA-Lib's lookbacks
// (ADX 2p-1; PLUS_DI, MINUS_DI, DX, ATR p): output k belongs to bar lookback + k.
const n = rows.length;
const args = { high, low, close: cls, timePeriod: period, startIdx: 0, endIdx: n };
const align = (res, lookback) => {
  const out = new Array(n).fill("");
  for (let k = 0; k < n - lookback; k++) out[lookback + k] = String(res.output[k]);
  return out;
};
const adx = align(talib.ADX(args), 2 * period - 1), pdi = align(talib.PLUS_DI(args), period);
const mdi = align(talib.MINUS_DI(args), period), dx = align(talib.DX(args), period), atr = align(talib.ATR(args), period);

writeFileSync("bars.csv", "i,open,high,low,close\n" + rows.map((r, i) => `${i},${tick(r.o)},${tick(r.h)},${tick(r.l)},${tick(r.c)}`).join("\n") + "\n");
writeFileSync("expected.csv", "i,atr,plusDi,minusDi,dx,adx\n" + rows.map((_, i) => `${i},${atr[i]},${pdi[i]},${mdi[i]},${dx[i]},${adx[i]}`).join("\n") + "\n");
console.log(`wrote ${rows.length} bars; talib-web ${JSON.parse(readFileSync(new URL("./node_modules/talib-web/package.json", import.meta.url))).version}`);
