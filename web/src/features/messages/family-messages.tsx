// PLACEHOLDER of the family portal (issue 11 item 2): the helper building this feature replaces
// this file at merge with the real component (same export name and props). It only says, in
// Vietnamese, that there is nothing yet, so the portal's tab never looks broken.
export function FamilyMessages(_props: { schoolId: string; studentId: string }) {
  return (
    <p className="family-none" data-testid="portal-placeholder">
      Chưa có tin nhắn nào với giáo viên.
    </p>
  );
}
