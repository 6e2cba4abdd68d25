import { loadCatalog } from '../src/profile/catalog.ts';
import { buildCostModel } from '../src/profile/costModel.ts';
import { loadCluster } from '../src/scenario/documents.ts';
import { makeScenario } from '../src/scenario/scenario.ts';
import { generateWorkload } from '../src/workload/generate/generate.ts';
import { simulate } from '../src/sim/simulate.ts';
import { requiredScale } from '../src/slo/quantile.ts';
import { ONLINE_POLICY_NAMES } from '../src/policy/registry.ts';
const clusterFile='instances/clusters/hetero-6.json';
const catalog = loadCatalog();
const { cluster, profiles } = loadCluster(clusterFile, catalog);
const cost = buildCostModel(cluster, { catalog, profiles, source: clusterFile });
const { workload } = generateWorkload({ family: 'mixed', workflows: 300, seed: 7, load: 0.9, cost, clusterName: cluster.name });
const sc = makeScenario(workload, cluster, { catalog, profiles, workloadFile: 'g', clusterFile });
console.log(cost.instances.map(i=>`${i.id} ${i.gpu} ${i.role} slots=${i.decodeSlots} kv=${i.kvCapacityTokens}`).join('\n'));
for (const p of ONLINE_POLICY_NAMES) { const t=performance.now(); const r=simulate(sc,p,{mode:'realistic'}); console.log(p, requiredScale(r.scales,0.95).toFixed(4), requiredScale(r.scales,0.99).toFixed(4), r.metrics.p50.toFixed(3), ((performance.now()-t)).toFixed(0)+'ms', r.metrics.instances.map(i=>i.prefill_utilization.toFixed(2)+'/'+i.decode_slot_utilization.toFixed(2)).join(' ')); }
import { realisticFloors } from '../src/bounds/realisticFloors.ts';
{
const f = realisticFloors(sc); const G=f.groups.length;
const r = simulate(sc,'atlas',{mode:'realistic'}); const t=r.trace; const N=t.readyS.length;
const inst = cost.instances;
const gOf = new Map<number,number>(); f.groups.forEach((g,gi)=>g.members.forEach(m=>gOf.set(m.index,gi)));
let qP=0,dP=0,aP=0,xf=0,qD=0,dD=0,aD=0;
for(let c=0;c<N;c++){ qP+=t.prefillStartS[c]-t.readyS[c]; dP+=t.prefillEndS[c]-t.prefillStartS[c]; aP+=f.prefillAloneS[c*G+gOf.get(t.prefillInstance[c])!];
 xf+=t.transferEndS[c]-t.prefillEndS[c]; qD+=t.decodeStartS[c]-t.transferEndS[c]; dD+=t.decodeEndS[c]-t.decodeStartS[c]; aD+=f.decodeAloneS[c*G+gOf.get(t.decodeInstance[c])!]; }
console.log({N, prefillQueue:qP/N, prefillDur:dP/N, prefillAlone:aP/N, transfer:xf/N, decodeQueue:qD/N, decodeDur:dD/N, decodeAlone:aD/N, minTotal: f.minTotalS.reduce((a,b)=>a+b,0)/N});
const st = sc.standaloneS; let ratio=0; for(let w=0;w<st.length;w++) ratio+=f.workflowPathS[w]/st[w]; console.log('mean path/standalone', ratio/st.length);
}
for (const i of cost.instances) console.log(i.id, JSON.stringify(i.profile.decode), JSON.stringify(i.profile.prefill));
{ let inS=0,outS=0; for (const wf of workload.workflows) for (const c of wf.calls){inS+=c.input_tokens;outS+=c.output_tokens;} console.log('mean in', inS/1320, 'out', outS/1320, 'span', workload.workflows.at(-1)!.arrival_s); }
