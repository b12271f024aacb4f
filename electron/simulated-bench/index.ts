/** The simulated bench: virtual USB keys and license manager, for the station's simulated mode and tests. */
export { SimulatedBench, type PluggedKey, type SimulatedBenchOptions } from './simulated-bench';
export { VirtualUsb, type VirtualUsbDevice } from './virtual-usb';
export {
  VirtualLicenseManager,
  type DeviceFailure,
  type VirtualLicenseManagerOptions,
} from './virtual-license-manager';
export {
  VirtualKeyFactory,
  modelRotation,
  SAMPLE_PUBLIC_CODE,
  type KeyRequest,
  type VirtualKey,
} from './virtual-key';
