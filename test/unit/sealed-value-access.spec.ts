/**
 * The one rule for who may receive private field values in a response.
 */
import type { Role } from '../../server/auth/roles';
import { disclosureFor, maySeeSealedValues } from '../../server/orders/sealed-value-access';

const none = (asked: readonly string[]) => asked.length === 0;

describe('sealed value access', () => {
  it("lets the brand's readers and arbitrators see private values, and no other role", () => {
    const may: Role[][] = [['brand:read'], ['arbitrator'], ['brand:write', 'brand:read'], ['auditor', 'brand:read']];
    for (const roles of may) expect(maySeeSealedValues({ roles })).toBe(true);
    const mayNot: Role[][] = [['auditor'], [], ['brand:admin'], ['brand:write']];
    for (const roles of mayNot) expect(maySeeSealedValues({ roles })).toBe(false);
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
