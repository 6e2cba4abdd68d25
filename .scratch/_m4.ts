import { loadCatalog } from '../src/profile/catalog.ts';
import { buildCostModel } from '../src/profile/costModel.ts';
import { loadCluster } from '../src/scenario/documents.ts';
import { makeScenario } from '../src/scenario/scenario.ts';
import { generateWorkload } from '../src/workload/generate/generate.ts';
import { realisticFloors } from '../src/bounds/realisticFloors.ts';
const clusterFile='instances/clusters/hetero-6.json';
const catalog = loadCatalog();
const { cluster, profiles } = loadCluster(clusterFile, catalog);
const cost = buildCostModel(cluster, { catalog, profiles, source: clusterFile });
const { workload } = generateWorkload({ family: 'mixed', workflows: 300, seed: 7, load: 0.9, cost, clusterName: cluster.name });
const sc = makeScenario(workload, cluster, { catalog, profiles, workloadFile: 'g', clusterFile });
const f = realisticFloors(sc); const G = f.groups.length; const wl = f.compiled;
const k=1.05; const ratios:number[]=[]; let onc=0; let chainDec=0, chainBudget=0;
for (let c=0;c<wl.calls;c++){ const w=wl.workflowOf[c]!; const D=wl.arrivalS[w]!+k*sc.standaloneS[w]!; const end=D-f.tailS[c]!; const g=1; const ds=f.releaseS[c]!+f.beforeDecodeS[c*G+g]!; ratios.push((end-ds)/f.decodeAloneS[c*G+g]!); if(f.onChain[c]){onc++; chainDec+=f.decodeAloneS[c*G+g]!;} }
for (let w=0;w<wl.workflows;w++) chainBudget += k*sc.standaloneS[w]! - f.chainBeforeDecodeS[w]!;
ratios.sort((a,b)=>a-b); console.log('window/alone quantiles', [0.1,0.25,0.5,0.75,0.9].map(q=>ratios[Math.floor(q*ratios.length)]!.toFixed(3)).join(' '), 'onChain', onc, 'of', wl.calls, 'chainDec', chainDec.toFixed(0), 'budget', chainBudget.toFixed(0));
const fam = new Map<string, number>(); for (const wf of workload.workflows) { const key = wf.id.split('-')[0]!; fam.set(key,(fam.get(key)??0)+1);} console.log(fam);
console.log(workload.workflows.slice(0,3).map(w=>JSON.stringify(w).slice(0,300)));
