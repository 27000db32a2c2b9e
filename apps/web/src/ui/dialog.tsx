import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';

/**
 * A question with a primary answer and a second one ("Send" / "Cancel"). Closing it otherwise
 * (Escape, outside click) counts as the second answer; an `alert` cannot be closed otherwise at all,
 * so the user has to choose (the inactivity warning).
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirm,
  dismiss,
  onConfirm,
  onDismiss,
  alert = false,
  testId,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirm: string;
  dismiss: string;
  onConfirm: () => void;
  onDismiss: () => void;
  alert?: boolean;
  testId?: string;
}) {
  return (
    <Dialog
      open={open}
      modalType={alert ? 'alert' : undefined}
      onOpenChange={alert ? undefined : (_event, data) => (data.open ? null : onDismiss())}
    >
      <DialogSurface data-testid={testId}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>{children}</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm}>
              {confirm}
            </Button>
            <Button onClick={onDismiss}>{dismiss}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
