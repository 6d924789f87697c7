'use client';

import { Button, type ButtonProps } from '@sextant/ui';
import { createContext, useContext } from 'react';

/** Whether the editor below may change anything: a viewer reads the configuration with no controls at all. */
export const CanEdit = createContext(false);

/** An editing button (add, remove, split) that a reader never sees. */
export function EditButton(props: ButtonProps) {
  return useContext(CanEdit) ? <Button size="sm" variant="outline" type="button" {...props} /> : null;
}
