
(function(){
  var body=document.body;
  var tree=document.getElementById('tree');
  var q=document.getElementById('q');
  var sel=document.getElementById('code');
  var nshown=document.getElementById('nshown');
  var nomatch=document.getElementById('nomatch');
  var items=tree?Array.prototype.slice.call(tree.querySelectorAll('.f')):[];
  var details=tree?Array.prototype.slice.call(tree.querySelectorAll('details')):[];
  var persons=tree?Array.prototype.slice.call(tree.querySelectorAll('.person')):[];
  var chips=Array.prototype.slice.call(document.querySelectorAll('#filters input[type=checkbox]'));
  details.forEach(function(d){d.setAttribute('data-open0',d.open?'1':'0');});
  function apply(){
    var text=q?q.value.trim().toLowerCase():'';
    var code=sel?sel.value:'';
    var on={};
    chips.forEach(function(c){on[c.getAttribute('data-sev')]=c.checked;});
    var all=chips.every(function(c){return c.checked;});
    var active=!!(text||code||!all);
    var shown=0;
    items.forEach(function(f){
      var waived=f.getAttribute('data-waived')==='1';
      var ok=(waived?on.waived:on[f.getAttribute('data-sev')])!==false;
      if(ok&&code){ok=f.getAttribute('data-code')===code;}
      if(ok&&text){
        var hay=f.getAttribute('data-search')||'';
        var p=f.closest('.person');
        if(p){var h=p.querySelector('.ph');if(h){hay+=' '+h.textContent.toLowerCase();}}
        var words=text.split(/\s+/);
        for(var i=0;i<words.length;i++){if(hay.indexOf(words[i])<0){ok=false;break;}}
      }
      f.hidden=!ok;
      if(ok){shown++;}
    });
    persons.forEach(function(p){p.hidden=!p.querySelector('.f:not([hidden])');});
    details.forEach(function(d){
      var any=!!d.querySelector('.f:not([hidden])');
      d.hidden=!any;
      if(active){if(any){d.open=true;}}else{d.open=d.getAttribute('data-open0')==='1';}
    });
    if(nshown){nshown.textContent=String(shown);}
    if(nomatch){nomatch.hidden=shown>0||items.length===0;}
  }
  if(q){q.addEventListener('input',apply);}
  if(sel){sel.addEventListener('change',apply);}
  chips.forEach(function(c){c.addEventListener('change',apply);});
  var ex=document.getElementById('expand'),co=document.getElementById('collapse');
  if(ex){ex.addEventListener('click',function(){details.forEach(function(d){if(!d.hidden){d.open=true;}});});}
  if(co){co.addEventListener('click',function(){details.forEach(function(d){d.open=false;});});}
  Array.prototype.forEach.call(document.querySelectorAll('button.only'),function(b){
    b.addEventListener('click',function(){
      if(sel){sel.value=b.getAttribute('data-code');}
      apply();
      var fl=document.getElementById('filters');
      if(fl&&fl.scrollIntoView){fl.scrollIntoView();}
    });
  });
  // A filter in the address: report.html#q=侯寨乡 or #code=TN02 (links that open a filtered view).
  function fromHash(){
    var m=/^#(q|code)=(.*)$/.exec(location.hash||'');
    if(!m){return;}
    var v=decodeURIComponent(m[2]);
    if(m[1]==='q'&&q){q.value=v;}else if(m[1]==='code'&&sel){sel.value=v;}
    apply();
  }
  fromHash();
  window.addEventListener('hashchange',fromHash);
  document.addEventListener('keydown',function(ev){
    if(ev.key==='/'&&q&&document.activeElement!==q){ev.preventDefault();q.focus();}
  });
  body.setAttribute('data-height',String(document.documentElement.scrollHeight));
  body.setAttribute('data-ready','1');
})();
