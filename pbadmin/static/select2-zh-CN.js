/* Chinese messages for the select2 3.5 widgets Flask-Admin uses (look-ups, filters). */
(function ($) {
  "use strict";
  if (!$ || !$.fn || !$.fn.select2) { return; }
  $.extend($.fn.select2.defaults, {
    formatNoMatches: function () { return "没有找到匹配项"; },
    formatInputTooShort: function (input, min) { return "请再输入 " + (min - input.length) + " 个字符"; },
    formatInputTooLong: function (input, max) { return "请删除 " + (input.length - max) + " 个字符"; },
    formatSelectionTooBig: function (limit) { return "最多只能选择 " + limit + " 项"; },
    formatLoadMore: function () { return "正在加载更多结果…"; },
    formatSearching: function () { return "搜索中…"; },
    formatAjaxError: function () { return "加载失败"; }
  });
}(window.jQuery));
