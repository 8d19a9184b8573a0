// Reads a JSON array of action strings and prints, one JSON array, what iam-simulate's request
// validation says of each: "invalid.service", "invalid.action", or "ok" (any other outcome,
// such as a resource that does not fit, is about the request, not the action).
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const ACCOUNT = '111122223333';
const allowAll = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

const actions = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = [];
for (const action of actions) {
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/differential`,
        action,
        resource: { resource: '*', accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: [{ name: 'allow-all', policy: allowAll }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  const message = result?.errors?.message;
  results.push(message === 'invalid.service' || message === 'invalid.action' ? message : 'ok');
}
process.stdout.write(JSON.stringify(results));
