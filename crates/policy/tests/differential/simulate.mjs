// Reads a JSON file of SCP cases and prints iam-simulate's decision for each, one JSON array.
//
// Each case: {"action", "resource", "context": {key: string | [string]}, "scps": [[policy, ...], ...]}
// (levels root first). The principal and the resource live in one account and an identity
// policy allows everything, so the SCPs alone decide.
import { readFileSync } from 'node:fs';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

const ACCOUNT = '111122223333';
const allowAll = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = cases.map((c, i) => {
  const simulation = {
    request: {
      principal: `arn:aws:iam::${ACCOUNT}:role/differential`,
      action: c.action,
      resource: { resource: c.resource, accountId: ACCOUNT },
      contextVariables: c.context,
    },
    identityPolicies: [{ name: 'allow-all', policy: allowAll }],
    serviceControlPolicies: c.scps.map((level, l) => ({
      orgIdentifier: l === 0 ? 'r-root' : `ou-level-${l}`,
      policies: level.map((policy, p) => ({ name: `p${l}-${p}`, policy })),
    })),
    resourceControlPolicies: [],
  };
  try {
    return { decision: runUnsafeSimulation(simulation, {}) };
  } catch (e) {
    return { error: `case ${i}: ${e && e.message ? e.message : String(e)}` };
  }
});
process.stdout.write(JSON.stringify(results));
