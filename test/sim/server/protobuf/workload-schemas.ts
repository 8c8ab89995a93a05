/**
 * Protobuf field numbers (k8s.io/api core/v1 and apps/v1 generated.proto) for what
 * `kubectl create deployment|service` send: the common PodSpec and Container fields.
 * Fields not listed are dropped, as an older server drops fields it does not know.
 */
import type { Schema } from './wire.js';

const str = (name: string) => ({ name, type: 'string' }) as const;
const int = (name: string) => ({ name, type: 'int' }) as const;
const bool = (name: string) => ({ name, type: 'bool' }) as const;
const strs = (name: string) => ({ name, type: 'string', repeated: true }) as const;
const msg = (name: string, schema: () => Schema, repeated = false) =>
  ({ name, type: 'message', schema, repeated }) as const;

export const labelSelector: Schema = {
  1: { name: 'matchLabels', type: 'map', value: 'string' },
  2: msg('matchExpressions', () => ({ 1: str('key'), 2: str('operator'), 3: strs('values') }), true),
};

const containerPort: Schema = {
  1: str('name'),
  2: int('hostPort'),
  3: int('containerPort'),
  4: str('protocol'),
  5: str('hostIP'),
};
const envVar: Schema = { 1: str('name'), 2: str('value') };
const resources: Schema = {
  1: { name: 'limits', type: 'map', value: 'quantity' },
  2: { name: 'requests', type: 'map', value: 'quantity' },
};
const volumeMount: Schema = { 1: str('name'), 2: bool('readOnly'), 3: str('mountPath'), 4: str('subPath') };

const container: Schema = {
  1: str('name'),
  2: str('image'),
  3: strs('command'),
  4: strs('args'),
  5: str('workingDir'),
  6: msg('ports', () => containerPort, true),
  7: msg('env', () => envVar, true),
  8: msg('resources', () => resources),
  9: msg('volumeMounts', () => volumeMount, true),
  13: str('terminationMessagePath'),
  14: str('imagePullPolicy'),
  16: bool('stdin'),
  17: bool('stdinOnce'),
  18: bool('tty'),
  20: str('terminationMessagePolicy'),
};

const toleration: Schema = {
  1: str('key'),
  2: str('operator'),
  3: str('value'),
  4: str('effect'),
  5: int('tolerationSeconds'),
};

export const podSpec: Schema = {
  2: msg('containers', () => container, true),
  3: str('restartPolicy'),
  4: int('terminationGracePeriodSeconds'),
  6: str('dnsPolicy'),
  7: { name: 'nodeSelector', type: 'map', value: 'string' },
  8: str('serviceAccountName'),
  10: str('nodeName'),
  11: bool('hostNetwork'),
  16: str('hostname'),
  17: str('subdomain'),
  19: str('schedulerName'),
  20: msg('initContainers', () => container, true),
  22: msg('tolerations', () => toleration, true),
  24: str('priorityClassName'),
};

const rollingUpdate: Schema = {
  1: { name: 'maxUnavailable', type: 'intOrString' },
  2: { name: 'maxSurge', type: 'intOrString' },
};

export function deploymentSpec(objectMeta: () => Schema): Schema {
  return {
    1: int('replicas'),
    2: msg('selector', () => labelSelector),
    3: msg('template', () => ({ 1: msg('metadata', objectMeta), 2: msg('spec', () => podSpec) })),
    4: msg('strategy', () => ({ 1: str('type'), 2: msg('rollingUpdate', () => rollingUpdate) })),
    5: int('minReadySeconds'),
    6: int('revisionHistoryLimit'),
    7: bool('paused'),
    9: int('progressDeadlineSeconds'),
  };
}

const servicePort: Schema = {
  1: str('name'),
  2: str('protocol'),
  3: int('port'),
  4: { name: 'targetPort', type: 'intOrString' },
  5: int('nodePort'),
};

export const serviceSpec: Schema = {
  1: msg('ports', () => servicePort, true),
  2: { name: 'selector', type: 'map', value: 'string' },
  3: str('clusterIP'),
  4: str('type'),
  5: strs('externalIPs'),
  7: str('sessionAffinity'),
  10: str('externalName'),
};
