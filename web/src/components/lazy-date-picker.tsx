import { Input } from 'antd';
import { type ComponentProps, lazy, Suspense } from 'react';
import { vi } from '../i18n/vi';

// antd's date picker is a tenth of the app (~30 KB compressed). Pages that only may show one
// (a profile a parent reads, a form still closed) should not download it up front: these load
// it on first draw, with an inert box of the same size meanwhile.
const Picker = lazy(async () => ({ default: (await import('./vn-date-picker')).VnDatePicker }));
const Range = lazy(async () => ({ default: (await import('./vn-date-picker')).VnRangePicker }));

type PickerProps = ComponentProps<typeof Picker>;
type RangeProps = ComponentProps<typeof Range>;

export function VnDatePicker(props: PickerProps) {
  return (
    <Suspense fallback={<Input disabled style={props.style} placeholder={vi.common.datePlaceholder} />}>
      <Picker {...props} />
    </Suspense>
  );
}

export function VnRangePicker(props: RangeProps) {
  return (
    <Suspense fallback={<Input disabled style={props.style} placeholder={`${vi.common.from} – ${vi.common.to}`} />}>
      <Range {...props} />
    </Suspense>
  );
}
