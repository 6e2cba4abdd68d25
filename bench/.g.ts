import { createWriteStream } from 'node:fs';
import { Rng } from '../src/util/random.ts';
async function writeTrace(file: string, rows: number) {
  const rng = new Rng(2024); const out = createWriteStream(file);
  out.write('TIMESTAMP,ContextTokens,GeneratedTokens\n');
  const start = Date.UTC(2023, 10, 16, 18, 0, 0) / 1000; let ticks = 0; let buf = '';
  for (let i = 0; i < rows; i++) {
    ticks += Math.max(1, Math.round(rng.exponential(20) * 1e7));
    const sec = start + Math.floor(ticks / 1e7); const d = new Date(sec * 1000).toISOString();
    buf += `${d.slice(0, 10)} ${d.slice(11, 19)}.${String(ticks % 1e7).padStart(7, '0')},${Math.max(1, Math.round(rng.lognormal(Math.log(1020), 0.9)))},${Math.max(1, Math.round(rng.lognormal(Math.log(130), 0.8)))}\n`;
    if (buf.length > 1 << 20) { out.write(buf); buf = ''; }
  }
  out.write(buf); await new Promise<void>((r) => out.end(() => r()));
}
await writeTrace('/tmp/imp/g1m.csv', 1_000_000); await writeTrace('/tmp/imp/gw.csv', 50_000);
