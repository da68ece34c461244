const fs=require('fs'),os=require('os'),path=require('path');
const {compileKfp}=require('./lib/src/kfp');
const {rehearsePipelineRun, readTektonFeatureFlags}=require('./lib/src/rehearse');
const file=process.argv[2];
const c=compileKfp(fs.readFileSync(file,'utf8'));
if(!c.run){console.log('no run');process.exit(0);}
const run=JSON.parse(JSON.stringify(c.run));
run.metadata={name:c.name.slice(0,40)+'-r1',uid:'1234',namespace:'default'};
run.spec.params=[{name:'kfp-runtime',value:'stand-in'}];
run.spec.workspaces=[{name:'kfp-artifacts',emptyDir:{}}];
const work=fs.mkdtempSync(path.join(os.tmpdir(),'kfprh-'));
try{
const r=rehearsePipelineRun({pipelineRun:run,objects:c.objects,flags:readTektonFeatureFlags({'enable-api-fields':'beta'}),workDir:work,env:process.env,report:l=>{}});
console.log(JSON.stringify(r.pipelineRun.status.results??null));
for(const t of r.taskRuns) console.log(t.metadata.name, JSON.stringify(t.status.results??null));
}catch(e){console.log('ERR',e.message, e.detail??'');}
fs.rmSync(work,{recursive:true,force:true});
