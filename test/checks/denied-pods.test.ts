import { describe, expect, it } from 'vitest';
import { deniedPods } from '../../src/checks/smoke/shared/denied-pods.js';
import { DENIALS } from '../support/admission-denials.js';

const messageOf = (kind: keyof typeof DENIALS) => JSON.parse(DENIALS[kind]('web-5d9f8b7c4-').body).message as string;

describe('pods the ReplicaSet controller could not create', () => {
  it('reads the denial from a FailedCreate event ("Error creating: <the API error>")', () => {
    const denial = deniedPods(undefined, [
      { type: 'Normal', reason: 'ScalingReplicaSet', object: 'Deployment/web', message: 'Scaled up' },
      {
        type: 'Warning',
        reason: 'FailedCreate',
        object: 'ReplicaSet/web-5d9f8b7c4',
        message: `Error creating: ${messageOf('pod-security')}`,
      },
    ]);
    expect(denial).toMatchObject({ kind: 'pod-security', policy: 'PodSecurity "restricted:latest"' });
  });

  it("reads it from the Deployment's ReplicaFailure condition", () => {
    const deployment = {
      status: {
        conditions: [
          { type: 'Available', status: 'False' },
          { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: messageOf('resource-quota') },
        ],
      },
    };
    expect(deniedPods(deployment, [])).toMatchObject({
      kind: 'resource-quota',
      policy: 'ResourceQuota "compute-small"',
    });
  });

  it('a FailedCreate that is no admission policy (no ServiceAccount: the controller-manager) is not a denial', () => {
    const events = [
      {
        reason: 'FailedCreate',
        object: 'ReplicaSet/web-1',
        message:
          'Error creating: pods "web-1-" is forbidden: error looking up service account ns/default: serviceaccount "default" not found',
      },
    ];
    expect(deniedPods(undefined, events)).toBeUndefined();
  });
});
