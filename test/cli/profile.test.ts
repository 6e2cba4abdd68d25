import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cliOutput.ts';

describe('hexplan profile', () => {
  it('prints the resolved profile and its predictions as the documented JSON', async () => {
    const r = await runCli([
      'profile',
      '--gpu',
      'H200-SXM-141GB',
      '--model',
      'Qwen2.5-32B',
      '--prefill',
      '512,4096',
      '--decode',
      '1:4096,32:131072',
      '--context',
      '3000',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['schema', 'gpu', 'model', 'tp', 'profile', 'predictions']);
    expect(j.schema).toBe('hexplan/profile-result@1');
    expect(j.profile.kv_capacity_tokens).toBe(260675);
    expect(j.profile.decode_batch_limit).toBe(Math.floor(260675 / 3000));
    expect(j.predictions.prefill.map((p: { tokens: number }) => p.tokens)).toEqual([512, 4096]);
    const d = j.profile.decode;
    expect(j.predictions.decode[1]).toEqual({
      batch: 32,
      context_tokens: 131072,
      ms: d.d0_ms + d.d1_ms_per_seq * 32 + d.d2_ms_per_token * 131072,
    });
  });

  it('refuses a malformed --decode item as a command line (exit 2, usage), no stack trace', async () => {
    const r = await runCli([
      'profile',
      '--gpu',
      'H100-SXM5-80GB',
      '--model',
      'Qwen2.5-32B',
      '--decode',
      '8x',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--decode: expected BATCH:CONTEXT_TOKENS .*\(got "8x"\)/);
    expect(r.err).toMatch(/usage: hexplan profile --gpu <string> --model <string>/);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
