/**
 * The one rule for who may receive private field values in a response.
 */
import { disclosureFor, maySeeSealedValues } from '../../server/orders/sealed-value-access';

const none = (asked: readonly string[]) => asked.length === 0;

describe('sealed value access', () => {
  it("lets the brand's keys and arbitrators see private values, and no other role", () => {
    for (const roles of [['brand'], ['brand:admin'], ['brand:write'], ['brand:read'], ['arbitrator'], ['auditor', 'brand']]) {
      expect(maySeeSealedValues({ roles })).toBe(true);
    }
    for (const roles of [['auditor'], [], ['admin']]) expect(maySeeSealedValues({ roles })).toBe(false);
  });

  it('refuses a disclosure to a role that may not see values, naming the parameter, and lets it ask for none', () => {
    expect(disclosureFor({ roles: ['arbitrator'] }, ['address'], none)).toEqual(['address']);
    expect(disclosureFor({ roles: ['auditor'] }, [], none)).toEqual([]);
    expect(() => disclosureFor({ roles: ['auditor'] }, ['address'], none)).toThrow(/may not see private field values/);
    try {
      disclosureFor({ roles: ['auditor'] }, ['address'], none);
    } catch (e) {
      expect(e).toMatchObject({ code: 'FORBIDDEN', extensions: { field: 'disclose' } });
    }
  });
});
