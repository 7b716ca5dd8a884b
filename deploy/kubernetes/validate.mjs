#!/usr/bin/env node
// Validates rendered manifests against the Kubernetes API schemas (the kubernetes-models
// package; prometheus-operator's for ServiceMonitor), offline: no cluster needed.
//   kubectl kustomize deploy/kubernetes/base | node deploy/kubernetes/validate.mjs
// Prints one line per object and exits 1 when any object is invalid or of an unknown kind.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** The module holding the models of one apiVersion. */
function modelModule(apiVersion) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}`;
  return group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
}

const text = readFileSync(process.argv[2] ?? 0, 'utf8');
let failures = 0;
for (const document of parseAllDocuments(text)) {
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  const what = `${object.apiVersion} ${object.kind} ${object.metadata?.name ?? '(no name)'}`;
  try {
    const models = await import(modelModule(object.apiVersion));
    const Model = models[object.kind];
    if (typeof Model !== 'function') throw new Error(`no schema for kind ${object.kind} in ${object.apiVersion}`);
    new Model(object).validate();
    console.log(`valid    ${what}`);
  } catch (error) {
    failures++;
    console.log(`INVALID  ${what}: ${String(error.message ?? error).split('\n').slice(0, 4).join(' ')}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
