// Validates Kubernetes objects (YAML on stdin, as `kubectl kustomize` prints them) against
// the JSON schemas of the Kubernetes API that the kubernetes-models package ships.
// Offline once installed: npm install (package.json beside this file). Exit 1 on any error.
const fs = require('fs');
const yaml = require('js-yaml');

const docs = yaml.loadAll(fs.readFileSync(0, 'utf8')).filter(Boolean);
let bad = 0;
for (const d of docs) {
  const name = `${d.kind}/${d.metadata && d.metadata.name}`;
  try {
    const [group, version] = d.apiVersion.includes('/') ? d.apiVersion.split('/') : ['', d.apiVersion];
    const mod = require(`kubernetes-models/${group ? group + '/' : ''}${version}/${d.kind}`);
    const Model = mod[d.kind] || mod.default;
    new Model(d).validate();
    console.log(`ok   ${name}`);
  } catch (e) {
    bad++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
if (docs.length === 0) { console.log('FAIL no objects'); bad++; }
process.exit(bad ? 1 : 0);
