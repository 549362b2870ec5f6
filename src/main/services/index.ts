export { createWorkstation, type Workstation, type WorkstationOptions, type DueCallback } from './workstation';
