/**
 * Names shown to people refuse characters that act instead of being read.
 */
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateBrandDto } from '../../server/brands/brands.dto';
import { DISPLAY_TEXT } from '../../server/http/display-text';
import { CreateOrderDto } from '../../server/orders/orders.dto';

const problemsOf = (dto: object): string[] => validateSync(dto).map((e) => e.property);

describe('display text', () => {
  it.each([
    ['a right-to-left override', 'ACME\u202e Ltd'],
    ['a left-to-right isolate', 'A\u2066B\u2069'],
    ['a right-to-left mark', 'A\u200fB'],
    ['an Arabic letter mark', 'A\u061cB'],
    ['a line separator', 'A\u2028B'],
    ['a C1 control', 'A\u0085B'],
    ['a C0 control', 'A\u0007B'],
    ['a newline', 'A\nB'],
    ['DEL', 'A\u007fB'],
  ])('refuses %s in a brand name and an order reference', (_, text) => {
    expect(DISPLAY_TEXT.test(text)).toBe(false);
    expect(problemsOf(plainToInstance(CreateBrandDto, { slug: 'acme', name: text }))).toEqual(['name']);
    expect(problemsOf(plainToInstance(CreateOrderDto, { reference: text }))).toEqual(['reference']);
  });

  it.each(['ACME Ltd', 'Müller & Söhne', '北京制造', 'שלום', 'مرحبا', '😀 Emoji Co', 'Zero\u200dWidth'])('accepts %s', (text) => {
    expect(problemsOf(plainToInstance(CreateBrandDto, { slug: 'acme', name: text }))).toEqual([]);
  });
});
