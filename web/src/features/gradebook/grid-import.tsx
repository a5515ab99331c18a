import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Modal, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, api, errorText } from '../../api/client';
import type { Gradebook, GradebookImportResult } from '../../api/types';
import { vi } from '../../i18n/vi';
import { ImportIssueList, issuesOf } from '../imports/import-issues';

const t = vi.gradebook;

/**
 * "Nhập từ Excel": the grid's own .xlsx (from "Tải Excel"), filled in offline, sent back to
 * gradebook-import.ts on the server. All or nothing; what it answers is shown here: the counts
 * (written, cleared — a mark the export showed and the teacher deleted — unchanged), the cells to
 * fix, or the cells changed in the grid since the export, which only an explicit "ghi đè" writes.
 * The unsent cells of the grid are sent first, so the file is compared with what the teacher sees.
 */
export function GridImport({ path, term, beforeImport }: { path: string; term: number; beforeImport: () => Promise<void> }) {
  const { modal } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const send = useMutation({
    mutationFn: async (overwrite: boolean) => {
      if (!file) throw new Error(vi.imports.noFile);
      await beforeImport();
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.post<GradebookImportResult, FormData>(`${path}/import`, fd, { term, overwrite: overwrite || undefined });
    },
    onSuccess: (r) => qc.setQueryData<Gradebook>(['gradebook', path, term], r.gradebook),
  });

  const close = () => {
    setOpen(false);
    setFile(null);
    send.reset();
  };
  const e = send.error;
  const issues = issuesOf(e);
  const conflict = e instanceof ApiError && e.code === 'gradebook_import_conflict' && issues.length > 0;

  return (
    <>
      <Button size="small" icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="grid-import">
        {t.importXlsx}
      </Button>
      <Modal
        open={open}
        title={t.importTitle}
        onCancel={close}
        width={760}
        footer={
          send.data ? (
            <Button type="primary" onClick={close}>
              {vi.common.close}
            </Button>
          ) : (
            <Flex gap={8} justify="flex-end" wrap>
              <Button onClick={close}>{vi.common.cancel}</Button>
              <Button type="primary" disabled={!file} loading={send.isPending} onClick={() => send.mutate(false)} data-testid="grid-import-start">
                {t.importStart}
              </Button>
            </Flex>
          )
        }
      >
        <Typography.Paragraph type="secondary">{t.importHelp}</Typography.Paragraph>
        {!send.data ? (
          // antd's Upload does not forward data-* to its hidden <input type=file>; tagged for e2e tests when it mounts.
          <div ref={(el) => el?.querySelector('input[type=file]')?.setAttribute('data-testid', 'grid-import-file')}>
            <Upload
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              maxCount={1}
              fileList={file ? [{ uid: 'f', name: file.name, size: file.size, status: 'done' }] : []}
              beforeUpload={(f) => {
                setFile(f);
                send.reset();
                return false;
              }}
              onRemove={() => setFile(null)}
            >
              <Button icon={<UploadOutlined />}>{t.importPick}</Button>
            </Upload>
          </div>
        ) : null}
        {send.data ? <Alert style={{ marginTop: 12 }} type="success" showIcon title={t.importDone} description={t.importDoneHelp(send.data)} data-testid="grid-import-done" /> : null}
        {e && conflict ? (
          <div style={{ marginTop: 12 }} data-testid="grid-import-conflict">
            <Alert type="warning" showIcon title={t.importConflict} description={t.importConflictHelp} style={{ marginBottom: 8 }} />
            <Button
              danger
              style={{ marginBottom: 8 }}
              onClick={() => {
                modal.confirm({
                  title: t.importOverwrite,
                  content: t.importOverwriteConfirm(issues.length),
                  okText: t.importOverwrite,
                  okButtonProps: { danger: true },
                  cancelText: vi.common.cancel,
                  onOk: () => send.mutate(true),
                });
              }}
            >
              {t.importOverwrite}
            </Button>
            <ImportIssueList issues={issues} />
          </div>
        ) : null}
        {e && !conflict && issues.length > 0 ? (
          <div style={{ marginTop: 12 }} data-testid="grid-import-invalid">
            <Alert type="error" showIcon title={t.importInvalid} style={{ marginBottom: 8 }} />
            <ImportIssueList issues={issues} />
          </div>
        ) : null}
        {e && issues.length === 0 ? <Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(e)} /> : null}
      </Modal>
    </>
  );
}
