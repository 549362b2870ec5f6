-- Placeholder so that helper-risk's 0027 applies on its own branch (migrations must be contiguous).
-- DELETE at merge: the real 0026 comes from another branch.
SELECT 1;
