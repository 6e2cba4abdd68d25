import { importTrace } from '../src/workload/import/importTrace.ts';
import { workloadFigures } from '../src/workload/import/summary.ts';
const f = process.argv[2]!;
await importTrace(f.replace('1m', 'w'), { format: 'azure' });
const c = process.cpuUsage(); const t = performance.now();
const r = await importTrace(f, { format: 'azure' });
const u = process.cpuUsage(c);
console.log(r.summary.rows_used, (performance.now() - t).toFixed(0), 'ms wall', ((u.user + u.system) / 1000).toFixed(0), 'ms cpu');
const c2 = process.cpuUsage(); workloadFigures(r.workload); const u2 = process.cpuUsage(c2); console.log('figures', ((u2.user + u2.system) / 1000).toFixed(0));
