import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/checks/catalog.js';
import { DEFAULT_GUIDE, parseRunbook, RunbookError } from '../../src/checks/guide.js';

describe('component → guide mapping', () => {
  it("maps seed 000's table: kube-proxy to article 12, CoreDNS to 15, api-server → kubelet to 9 and 11", () => {
    const labels = (c: keyof typeof DEFAULT_GUIDE) => DEFAULT_GUIDE[c].map((r) => r.label);
    expect(labels('kube-proxy')).toContain('article 12');
    expect(labels('coredns')).toContain('article 15');
    expect(labels('apiserver-kubelet')).toEqual(expect.arrayContaining(['article 9', 'article 11']));
    expect(labels('scheduler')).toContain('article 8');
  });

  it('gives every catalog entry a component with references', () => {
    for (const entry of createCatalog().list()) expect(entry.references.length, entry.id).toBeGreaterThan(0);
  });

  it("replaces the references of the components an operator's runbook names (YAML)", () => {
    const guide = parseRunbook(
      'components:\n  kube-proxy:\n    references:\n      - label: "Runbook §4"\n        url: https://wiki.example/kp\n',
    );
    expect(guide['kube-proxy']).toEqual([{ label: 'Runbook §4', url: 'https://wiki.example/kp' }]);
    expect(guide.coredns).toEqual(DEFAULT_GUIDE.coredns);
    expect(
      createCatalog({ guide })
        .list()
        .find((c) => c.id === 'service.loadbalancing')?.references[0]?.label,
    ).toBe('Runbook §4');
  });

  it('refuses a runbook naming an unknown component or lacking references, saying where', () => {
    expect(() => parseRunbook('{"components":{"kube-prxy":{"references":[{"label":"x"}]}}}')).toThrow(RunbookError);
    expect(() => parseRunbook('{"components":{"coredns":{"references":[]}}}')).toThrow(
      /components\.coredns\.references/,
    );
    expect(() => parseRunbook('components: [')).toThrow(/not valid YAML/);
  });
});
