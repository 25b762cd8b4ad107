import { describe, expect, it } from 'vitest';
import { SimWorld } from '../scenario/sim-world';
import { generatePlan } from '../workload/generate-plan';
import { defaultSimConfig } from '../workload/sim-config';

describe('SimWorld', () => {
  it('gives every client clock its own stream: adding a client keeps the others’ clocks', () => {
    const three = new SimWorld(generatePlan(defaultSimConfig(12, { clients: 3 })));
    const four = new SimWorld(generatePlan(defaultSimConfig(12, { clients: 4 })));
    const offsets = (world: SimWorld) => world.clients.map((node) => node.clock.offsetMs());
    expect(offsets(four).slice(0, 3)).toEqual(offsets(three));
    expect(offsets(three).some((offset) => offset !== 0)).toBe(true);
    expect(offsets(three).every((offset) => Math.abs(offset) <= 50)).toBe(true);
  });

  it('keeps perfect clocks under the "none" profile', () => {
    const world = new SimWorld(
      generatePlan(defaultSimConfig(12, { clients: 5, faultProfile: 'none' })),
    );
    expect(world.clients.map((node) => node.clock.offsetMs())).toEqual([0, 0, 0, 0, 0]);
  });

  it('builds the same clocks for the same seed', () => {
    const plan = generatePlan(defaultSimConfig(99, { clients: 6, faultProfile: 'chaos' }));
    const first = new SimWorld(plan).clients.map((node) => node.clock.now());
    const second = new SimWorld(plan).clients.map((node) => node.clock.now());
    expect(second).toEqual(first);
  });
});
