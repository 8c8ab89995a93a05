import { describe, expect, it } from 'vitest';
import { catalogChecks } from '../../src/checks/catalog.js';
import { planChecks, SelectionError } from '../../src/engine/suite/planner.js';

const all = catalogChecks();
const ids = (sel: string[]) => planChecks(sel, all).map((c) => c.id);

describe('planner', () => {
  it('adds every prerequisite of a selected check, preflight.api first', () => {
    expect(ids(['dns.service'])).toEqual(['preflight.api', 'workload.rollout', 'pods.exec', 'dns.service']);
  });

  it('expands groups and always includes preflight.api', () => {
    expect(ids(['smoke']).sort()).toEqual(
      all
        .filter((c) => c.group === 'smoke' || c.id === 'preflight.api')
        .map((c) => c.id)
        .sort(),
    );
    expect(ids(['preflight'])).toEqual(['preflight.api']);
  });

  it('rejects unknown ids with their name', () => {
    expect(() => ids(['dns.nope'])).toThrow(SelectionError);
    expect(() => ids(['dns.nope'])).toThrow(/dns\.nope/);
  });

  it('orders prerequisites before dependents for the whole suite', () => {
    const order = ids(['smoke', 'encryption']);
    for (const c of all)
      for (const p of c.prerequisites)
        expect(order.indexOf(p), `${p} before ${c.id}`).toBeLessThan(order.indexOf(c.id));
  });

  it('refuses a prerequisite cycle, naming it', () => {
    const loop = (id: string, prerequisite: string) => ({ ...all[1]!, id, prerequisites: [prerequisite] });
    const cyclic = [...all, loop('a.one', 'a.two'), loop('a.two', 'a.one')];
    expect(() => planChecks(['a.one'], cyclic)).toThrow(/prerequisite cycle: .*a\.one → a\.two → a\.one/);
  });

  it('marks the disruptive checks', () => {
    expect(all.filter((c) => c.disruptive).map((c) => c.id)).toEqual([
      'controller.selfheal',
      'deployment.scale',
      'kubelet.restart',
    ]);
  });
});
