import { SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Upload } from 'antd';
import { useState } from 'react';
import { downloadFile, errorText } from '../../api/client';
import { vi } from '../../i18n/vi';

const t = vi.results;

type Signed = { studentId: string; fullName: string };

/** The row's button: opens the one signing dialog of the list (see `SignHocBaDialog`). */
export function SignHocBaButton({ student, onOpen }: { student: Signed; onOpen: (s: Signed) => void }) {
  return (
    <Button size="small" icon={<SafetyCertificateOutlined aria-hidden />} aria-label={t.hocBaSignOf(student.fullName)} title={t.hocBaSignOf(student.fullName)} onClick={() => onOpen(student)} data-testid="results-hoc-ba-sign">
      {t.hocBaSign}
    </Button>
  );
}

/**
 * The principal signs a student's học bạ with the school's certificate (PKCS#12): the file and its
 * password go with the request and are not kept; the signed PDF comes back as a download. One dialog
 * for the whole list, held above it, so that turning a phone (table ↔ cards) does not close it.
 */
export function SignHocBaDialog({ schoolId, student, onClose }: { schoolId: string; student: Signed | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    onClose();
    setFile(null);
    setPassphrase('');
    setFileError(null);
  };
  const sign = async () => {
    if (!student) return;
    if (!file) {
      setFileError(t.hocBaSignNeedFile);
      return;
    }
    setBusy(true);
    try {
      const form = new FormData();
      form.append('passphrase', passphrase);
      form.append('certificate', file);
      await downloadFile(`/schools/${schoolId}/students/${student.studentId}/hoc-ba/signed.pdf`, undefined, 'hoc-ba-da-ki.pdf', form);
      message.success(t.hocBaSignDone);
      close();
    } catch (e) {
      message.error(errorText(e), 10);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={student !== null}
      title={student ? t.hocBaSignTitle(student.fullName) : ''}
      onCancel={close}
      okText={t.hocBaSignSubmit}
      cancelText={vi.common.cancel}
      onOk={() => void sign()}
      confirmLoading={busy}
      destroyOnHidden
      data-testid="results-hoc-ba-sign-dialog"
    >
      <p>{t.hocBaSignIntro}</p>
      <Form layout="vertical" onFinish={() => void sign()}>
        <Form.Item label={t.hocBaSignFile} required validateStatus={fileError ? 'error' : undefined} help={fileError ?? file?.name}>
          <Upload
            accept=".p12,.pfx,application/x-pkcs12"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(f) => {
              setFile(f);
              setFileError(null);
              return false;
            }}
          >
            <Button icon={<UploadOutlined aria-hidden />} data-testid="results-hoc-ba-sign-file">
              {t.hocBaSignPickFile}
            </Button>
          </Upload>
        </Form.Item>
        <Form.Item label={t.hocBaSignPassphrase} htmlFor="hoc-ba-sign-passphrase">
          <Input.Password id="hoc-ba-sign-passphrase" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="results-hoc-ba-sign-passphrase" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
