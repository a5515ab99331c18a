import { DownloadOutlined, DownOutlined, FilePdfOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { downloadFile, errorText } from '../../api/client';
import { vi } from '../../i18n/vi';

/**
 * "Tải dữ liệu cá nhân": two forms of the same data (ND 13/2023 right of access), a document
 * people read and print, and the complete machine-readable file for moving the data elsewhere.
 * Loaded on its own (student-profile-page.tsx): the family portal shows it on its "Hồ sơ" tab.
 */
export function ExportMenu({ schoolId, studentId, family }: { schoolId: string; studentId: string; family: boolean }) {
  const { message } = App.useApp();
  const exportData = (form: 'pdf' | 'json') =>
    downloadFile(`/schools/${schoolId}/students/${studentId}/personal-data${form === 'pdf' ? '.pdf' : ''}`, undefined, `du-lieu-ca-nhan.${form}`).catch((e) =>
      message.error(errorText(e)),
    );
  const whose = vi.privacy.whose(family);
  // Long, explicit labels: they wrap inside the menu instead of widening it past a phone's screen.
  const exportLabel = (text: string) => <span style={{ display: 'inline-block', whiteSpace: 'normal', maxWidth: 'min(320px, 80vw)' }}>{text}</span>;
  return (
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'pdf', icon: <FilePdfOutlined />, label: exportLabel(vi.privacy.exportPdf(whose)), 'data-testid': 'export-personal-data-pdf' },
            { key: 'json', icon: <DownloadOutlined />, label: exportLabel(vi.privacy.exportJson(whose)), 'data-testid': 'export-personal-data-json' },
          ],
          onClick: ({ key }) => void exportData(key === 'pdf' ? 'pdf' : 'json'),
        }}
      >
        <Button icon={<DownloadOutlined />} data-testid="export-personal-data">
          {vi.privacy.exportData} <DownOutlined />
        </Button>
      </Dropdown>
  );
}
