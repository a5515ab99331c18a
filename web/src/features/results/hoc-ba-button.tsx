import { FilePdfOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { ApiError, downloadFile, errorText } from '../../api/client';
import { vi } from '../../i18n/vi';

const t = vi.results;

/** The student's học bạ as a PDF, from the years the principal has closed ("Cả năm"). */
export function HocBaButton({ schoolId, studentId, fullName }: { schoolId: string; studentId: string; fullName: string }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadFile(`/schools/${schoolId}/students/${studentId}/hoc-ba.pdf`, undefined, 'hoc-ba.pdf');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'hoc_ba_no_year_closed') message.warning(t.hocBaNotYet, 8);
      else message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" icon={<FilePdfOutlined aria-hidden />} loading={busy} aria-label={t.hocBaOf(fullName)} title={t.hocBaOf(fullName)} onClick={() => void download()} data-testid="results-hoc-ba">
      {t.hocBa}
    </Button>
  );
}
