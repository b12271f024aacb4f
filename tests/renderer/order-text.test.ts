import { describe, expect, it } from 'vitest';
import {
  customerName,
  customerShortName,
  licenceKindName,
  orderRunName,
  orderTypeName,
  statusName,
} from '../../renderer/src/components/order-text';
import { anOrder } from './support/samples';

const acme = { _id: 7, name: 'Anna', lastname: 'Berg', companyname: 'Acme GmbH' };
const person = { _id: 8, name: 'Anna', lastname: 'Berg' };

describe('how an order names its customer', () => {
  it('in full: the company with the contact in brackets, the person alone, or a dash for none', () => {
    expect(customerName(acme)).toBe('Acme GmbH (Anna Berg)');
    expect(customerName({ _id: 7, name: '', companyname: 'Acme GmbH' })).toBe('Acme GmbH');
    expect(customerName(person)).toBe('Anna Berg');
    expect(customerName({ _id: 9, name: '' })).toBe('—');
    expect(customerName(undefined)).toBe('—');
  });

  it('in short: the company, else the person, else nothing', () => {
    expect(customerShortName(acme)).toBe('Acme GmbH');
    expect(customerShortName(person)).toBe('Anna Berg');
    expect(customerShortName(undefined)).toBe('');
  });

  it('on a start button: "order 34 · Acme GmbH", or just the order when it has no customer', () => {
    expect(orderRunName(anOrder({ number: 34, customer: acme }))).toBe('order 34 · Acme GmbH');
    expect(orderRunName(anOrder({ number: 34 }))).toBe('order 34');
  });
});

describe("an order's type, licence and status in words", () => {
  it('names sales and updates, and an unknown type by its number', () => {
    expect(orderTypeName(anOrder({ type: 0 }))).toBe('Sale');
    expect(orderTypeName(anOrder({ type: 1 }))).toBe('Update');
    expect(orderTypeName(anOrder({ type: 5 }))).toBe('type 5');
  });

  it('says Hardware or Software licence, and the status by name or by number', () => {
    expect(licenceKindName(anOrder({ ishardwarelicense: true }))).toBe('Hardware');
    expect(licenceKindName(anOrder({ ishardwarelicense: false }))).toBe('Software');
    expect(statusName(1)).toBe('Submitted');
    expect(statusName(3)).toBe('Archived');
    expect(statusName(42)).toBe('status 42');
  });
});
