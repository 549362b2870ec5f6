-- Placeholder for another branch's migration (the lead renumbers at merge).
SELECT 1;
