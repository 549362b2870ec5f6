-- Placeholder: number 0013 belongs to another branch merged beside this one (migrations must be
-- numbered without gaps). The integrator replaces this file with that branch's 0013.
SELECT 1;
