/**
 * AppConfig is not global: AppConfigModule hands each application the configuration it was
 * created with. Two applications started at the same time in one process must not see each
 * other's configuration (the test support does exactly that for leader and fault tests).
 */
import { AppConfig } from '../../server/config/app-config';
import { createBrand, startTestApp, type TestApp } from '../support/app';

describe('AppConfigModule', () => {
  let withAdmin: TestApp;
  let withoutAdmin: TestApp;

  beforeAll(async () => {
    [withAdmin, withoutAdmin] = await Promise.all([
      startTestApp({ env: { PUBLIC_BASE_URL: 'https://one.example.com' } }),
      startTestApp({ env: { PUBLIC_BASE_URL: 'https://two.example.com', ORDERTRACE_ADMIN_TOKEN: '' } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([withAdmin?.close(), withoutAdmin?.close()]);
  });

  it('gives every provider of an application the configuration that application was created with', () => {
    expect(withAdmin.app.get(AppConfig)).toBe(withAdmin.config);
    expect(withoutAdmin.app.get(AppConfig)).toBe(withoutAdmin.config);
  });

  it("reaches the guards of each application: one admits its operator, the other's admin API stays disabled", async () => {
    const brand = await createBrand(withAdmin);
    expect(brand.id).toEqual(expect.any(String));
    const refused = await withoutAdmin.http
      .post('/v1/brands')
      .set({ Authorization: `Bearer ${withAdmin.adminToken}` })
      .send({ slug: 'x', name: 'X' })
      .expect(403);
    expect(refused.body).toMatchObject({ code: 'ADMIN_API_DISABLED' });
  });

  it('reaches the feature services: links carry the PUBLIC_BASE_URL of their application', async () => {
    const brand = await createBrand(withAdmin);
    const order = await withAdmin.http.post('/v1/orders').set(brand.auth).send({ reference: 'cfg-1' }).expect(201);
    const link = await withAdmin.http.post(`/v1/orders/${order.body.id}/qr`).set(brand.auth).expect(201);
    expect(link.body.url).toMatch(/^https:\/\/one\.example\.com\/v\//);
  });
});
