'use client';

import { ErrorPanel } from '~/components/error-panel';

/** Inside the console layout, so a page that fails to load keeps the navigation around it. */
export default ErrorPanel;
