SELECT uuid FROM access_log -- comment
/* block */ WHERE "uuid" = 'it''s' ;