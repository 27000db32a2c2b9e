import { describe, expect, it } from 'vitest';
import * as emulatorGraph from '../../graph/message-ids.js';
import { ewsIdToRestId, restIdToEwsId } from './message-ids.js';

// An EWS/REST id pair as Office.js and Graph show them (microsoft-graph-docs-contrib issue #2924).
const EWS_ID =
  'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e/T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e/T7KzowPTAAAYbvZDAAA=';

describe('Office.js id conversion in the stand-in', () => {
  it('turns an EWS id into the Graph REST id by swapping + for _ and / for -, keeping padding', () => {
    const rest = ewsIdToRestId(EWS_ID);
    expect(rest).toBe(
      'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAAAYbvZDAAA=',
    );
    expect(rest).not.toMatch(/[+/]/);
    expect(rest.endsWith('=')).toBe(true);
  });

  it('does not use the base64url pairing (+ to -, / to _)', () => {
    expect(ewsIdToRestId('a+b/c==')).toBe('a_b-c==');
  });

  it('round-trips every base64 alphabet character', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
    expect(restIdToEwsId(ewsIdToRestId(alphabet))).toBe(alphabet);
    expect(ewsIdToRestId(restIdToEwsId('AA_B-C='))).toBe('AA_B-C=');
  });

  it("agrees with the emulator's Graph, which hands out the REST ids", () => {
    const samples = [EWS_ID, 'a+b/c==', '+/+/', 'AAAA', ''];
    for (const ews of samples) {
      expect(ewsIdToRestId(ews)).toBe(emulatorGraph.ewsIdToRestId(ews));
      const rest = emulatorGraph.ewsIdToRestId(ews);
      expect(restIdToEwsId(rest)).toBe(emulatorGraph.restIdToEwsId(rest));
    }
  });
});
