// The benchmark's verdicts: each target is judged from the measured rates, and the SSE-S3 PUT line says
// how far MD5 alone (measured in the same run) would have gone, so a miss the machine forces is visible.
import { describe, expect, it } from 'vitest';
import type { MachineLimits } from './machineLimits.js';
import { renderTargets, type Results } from './report.js';
import type { Measurement } from './workloads.js';

function measured(rate: number, peakRss?: number): Measurement {
  return { seconds: 1, rate, serverCpu: 1, clientCpu: 0.1, peakRss };
}

const limits: MachineLimits = {
  aesGcmMiBps: 2200,
  md5MiBps: 800,
  diskMiBps: 450,
  diskMiB: 1024,
  diskCpuMsPerMiB: 1.9,
  directDiskMiBps: 2400,
  directDiskCpuMsPerMiB: 0.1,
};

function report(results: Results): { text: string; allPass: boolean } {
  return renderTargets({ results, limits, clientCost: undefined, largeMiB: 1024, smallCount: 2000, runs: 1, storeFlags: [], cpus: 2, cpuModel: 'test' });
}

const passing: Results = {
  s3rver: { largePut: measured(350), largeGet: measured(700), putC16: measured(1500) },
  cofferS3: { largePut: measured(720, 180 * 1e6), largeGet: measured(1200, 150 * 1e6), putC1: measured(1200), putC16: measured(2500) },
  cofferS3NoAudit: { putC1: measured(1250), putC16: measured(2600) },
  cofferC: { largePut: measured(700, 170 * 1e6), largeGet: measured(900, 160 * 1e6), putC16: measured(2300) },
};

describe('renderTargets', () => {
  it('passes every target the rates meet, and gives MD5 alone as a ratio on the PUT line', () => {
    const { text, allPass } = report(passing);
    expect(text).toContain('[PASS] Large PUT, Coffer SSE-S3 (HTTP) >= 2.0x s3rver: 2.06x; MD5 alone on one core: 2.29x, the most an SSE-S3 PUT can reach');
    expect(text).toContain('[PASS] Large GET, Coffer SSE-C (HTTPS) >= 1.2x s3rver: 1.29x');
    expect(text).toContain('[PASS] Coffer peak RSS while moving the large object < 200 MB: 180.0 MB');
    expect(allPass).toBe(true);
  });

  it('marks a PUT below 2x as a miss, with the bound that shows when 2x was out of reach', () => {
    const fastPeer: Results = { ...passing, s3rver: { ...passing.s3rver, largePut: measured(420) } };
    const { text, allPass } = report(fastPeer);
    expect(text).toContain('[MISS] Large PUT, Coffer SSE-S3 (HTTP) >= 2.0x s3rver: 1.71x; MD5 alone on one core: 1.90x, the most an SSE-S3 PUT can reach');
    expect(allPass).toBe(false);
  });

  it('says what was not measured instead of judging it', () => {
    const { text, allPass } = report({ cofferS3: { largePut: measured(700) } });
    expect(text).toContain('[N/A ] Large PUT, Coffer SSE-S3 (HTTP) >= 2.0x s3rver: not measured');
    expect(text).not.toContain('MD5 alone');
    expect(allPass).toBe(false);
  });

  it('misses the memory target at 200 MB', () => {
    const heavy: Results = { ...passing, cofferC: { ...passing.cofferC, largeGet: measured(900, 200 * 1e6) } };
    expect(report(heavy).text).toContain('[MISS] Coffer peak RSS while moving the large object < 200 MB: 200.0 MB');
  });
});
