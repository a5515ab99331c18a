import { FileZipOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Modal, Progress } from 'antd';
import { useState } from 'react';
import { api, downloadFile, errorText } from '../../api/client';
import type { HocBaBatch, Job } from '../../api/types';
import { vi } from '../../i18n/vi';

const t = vi.results;
const finished = (j: Job | undefined) => j?.state === 'done' || j?.state === 'failed';

/**
 * "In học bạ cả lớp": the class's học bạ as a background job on the server (one PDF per student),
 * followed here until it is done, then downloaded as one .zip. Closing the window does not stop it.
 */
export function HocBaBatchButton({ schoolId, classId, className }: { schoolId: string; classId: string; className: string }) {
  const { message } = App.useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const start = useMutation({
    mutationFn: () => api.post<Job, HocBaBatch>(`/schools/${schoolId}/hoc-ba/batches`, { classId }),
    onSuccess: (job) => {
      setJobId(job.id);
      setOpen(true);
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  const job = useQuery({
    queryKey: ['job', schoolId, jobId],
    queryFn: ({ signal }) => api.get<Job>(`/org-units/${schoolId}/jobs/${jobId}`, undefined, signal),
    enabled: jobId !== null && open,
    refetchInterval: (q) => (finished(q.state.data) ? false : 1000),
  });
  const j = job.data;
  const percent = j && j.progressTotal > 0 ? Math.floor((j.progressDone * 100) / j.progressTotal) : 0;
  const download = async () => {
    try {
      await downloadFile(`/org-units/${schoolId}/jobs/${jobId}/files.zip`, undefined, `hoc-ba-${className}.zip`);
    } catch (e) {
      message.error(errorText(e), 8);
    }
  };

  return (
    <>
      <Button
        icon={<FileZipOutlined aria-hidden />}
        loading={start.isPending}
        title={t.hocBaBatchOf(className)}
        // A job already made for this class is shown again rather than started twice.
        onClick={() => (jobId && !job.data?.error ? setOpen(true) : start.mutate())}
        data-testid="results-hoc-ba-batch"
      >
        {t.hocBaBatch}
      </Button>
      <Modal
        open={open}
        title={t.hocBaBatchTitle(className)}
        onCancel={() => setOpen(false)}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>{vi.common.close}</Button>
            <Button type="primary" icon={<FileZipOutlined aria-hidden />} disabled={!j?.hasFiles} onClick={() => void download()} data-testid="results-hoc-ba-batch-download">
              {t.hocBaBatchDownload}
            </Button>
          </>
        }
        data-testid="results-hoc-ba-batch-job"
      >
        {job.isError ? <Alert type="error" showIcon title={errorText(job.error)} /> : null}
        {j ? (
          <div aria-live="polite">
            <Progress aria-label={t.hocBaBatchProgress} percent={percent} status={j.state === 'failed' ? 'exception' : j.state === 'done' ? 'success' : 'active'} />
            <p className="rs-job-line" data-testid="results-hoc-ba-batch-state">
              {j.state === 'queued' ? t.hocBaBatchQueued : j.state === 'running' ? `${t.hocBaBatchCount(j.progressDone, j.progressTotal)}${j.progressText ? ` — ${j.progressText}` : ''}` : j.stateLabel}
            </p>
            {j.resultText ? <p data-testid="results-hoc-ba-batch-result">{j.resultText}</p> : null}
            {j.details.length > 0 ? (
              <ul className="rs-job-details">
                {j.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
            {j.state === 'failed' ? <Alert type="error" showIcon title={t.hocBaBatchFailed} description={j.error ?? undefined} /> : null}
            {!finished(j) ? <p className="rs-job-hint">{t.hocBaBatchLeave}</p> : null}
          </div>
        ) : null}
      </Modal>
    </>
  );
}
