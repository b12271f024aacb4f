import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUARDANT_VENDOR_ID, guardantProducts } from '../../shared/guardant/usb-ids';

/**
 * The udev rule must open exactly the keys the watcher accepts: a product id added to
 * shared/guardant/usb-ids.ts without its rule is a key the operator's session cannot open (the bench would
 * show "No permission"), and a rule beyond that list opens the vendor's other devices (Rutoken).
 */
describe('resources/linux/70-guardant.rules', () => {
  const rules = readFileSync(new URL('../../resources/linux/70-guardant.rules', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'));
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  const accepted = [...guardantProducts.keys()].map(hex).sort();

  function productsOf(subsystem: string, attr: 'ATTR' | 'ATTRS'): string[] {
    return rules
      .filter((line) => line.includes(`SUBSYSTEM=="${subsystem}"`))
      .map((line) => {
        expect(line).toContain(`${attr}{idVendor}=="${hex(GUARDANT_VENDOR_ID)}"`);
        expect(line).toMatch(/MODE="0660"/);
        expect(line).toMatch(/TAG\+="uaccess"/);
        return /idProduct}=="([0-9a-f]{4})"/.exec(line)?.[1] ?? 'no idProduct';
      })
      .sort();
  }

  it('gives the operator every Guardant product id the watcher accepts, on USB and hidraw, and no other', () => {
    expect(productsOf('usb', 'ATTR')).toEqual(accepted);
    expect(productsOf('hidraw', 'ATTRS')).toEqual(accepted);
  });

  it('applies to devices, not their interfaces, and never on removal', () => {
    expect(rules[0]).toBe('ACTION=="remove", GOTO="guardant_end"');
    expect(rules.at(-1)).toBe('LABEL="guardant_end"');
    for (const line of rules.filter((l) => l.includes('SUBSYSTEM=="usb"')))
      expect(line).toContain('ENV{DEVTYPE}=="usb_device"');
  });
});
