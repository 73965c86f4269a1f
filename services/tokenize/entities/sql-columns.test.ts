import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachSqlColumnCell, sqlScan } from './sql-columns.js';

const cellsOf = (text: string, column: string): string[] => {
  const at = text.indexOf(column);
  const out: string[] = [];
  const named = eachSqlColumnCell(text, at, at + column.length, sqlScan(text), (a, b) => void out.push(text.slice(a, b).trim()));
  return named ? out : ['(not a column)'];
};

test('sql-columns: the values at the column\'s position, with quotes, escapes, nested calls and NULL', () => {
  const sql = "INSERT INTO `crm`.`people` (`id`, \"note\", dob, x) VALUES\n  (1, 'a, b', '1980-01-02', 'x'),\n  (2, 'it''s (fine)', NULL, CONCAT('a', 'b')),\n  (3, 'back\\'slash', DATE('1999-12-31'), 0);";
  assert.deepEqual(cellsOf(sql, 'dob'), ["'1980-01-02'", 'NULL', "DATE('1999-12-31')"]);
  assert.deepEqual(cellsOf(sql, '`id`'), ['1', '2', '3']);
});

test('sql-columns: a name outside an INSERT column list is not a column', () => {
  assert.deepEqual(cellsOf('SELECT dob, x FROM t', 'dob'), ['(not a column)']);
  assert.deepEqual(cellsOf('my (dob, x) VALUES (1, 2)', 'dob'), ['(not a column)']);
  assert.deepEqual(cellsOf("INSERT INTO t (a) VALUES ('dob, x')", 'dob'), ['(not a column)']);
});

test('sql-columns: a tuple that never closes ends the read; the tuples read per document are bounded', () => {
  assert.deepEqual(cellsOf("INSERT INTO t (dob, x) VALUES ('1970-05-05', 1), ('1971", 'dob'), ["'1970-05-05'"]);
  const big = 'INSERT INTO t (dob) VALUES ' + '(1),'.repeat(50_000) + '(2);';
  assert.equal(cellsOf(big, 'dob').length, 10_000);
});

test('sql-columns: a tuple longer than a row can be (an unclosed quote) ends the read at its bound', () => {
  const text = "INSERT INTO t (dob, x) VALUES ('1970-05-05', 'x" + 'y'.repeat(20_000) + "'), ('1971-01-01', 'z')";
  assert.deepEqual(cellsOf(text, 'dob'), ["'1970-05-05'"]);
});
